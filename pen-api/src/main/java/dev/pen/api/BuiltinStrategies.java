package dev.pen.api;

import java.net.InetAddress;
import java.util.List;

/** pen's built-in selection algorithms. */
final class BuiltinStrategies {
    static final Strategy ROUND_ROBIN = RoundRobin::new;
    static final Strategy HASH = () -> BuiltinStrategies::hashPick;
    static final Strategy WEIGHT = () -> BuiltinStrategies::weightPick;
    static final Strategy PRIORITY = Priority::new;
    static final Strategy PEN_MODES = PenModes::new;
    static final Strategy MAGLEV = new MaglevStrategy(MaglevStrategy.DEFAULT_TABLE_SIZE);

    private static final Pick ALL_UNAVAILABLE = Pick.none("no available server");
    private static final Pick NO_SERVERS = Pick.none("no servers");
    private static final Pick NO_WEIGHT = Pick.none("no available server with a weight above 0");

    private BuiltinStrategies() {
    }

    /** The next available candidate after the last one chosen, wrapping; pen's first choice is position 1. */
    static final class RoundRobin implements Picker {
        private int last;

        @Override
        public Pick pick(PickContext context) {
            List<Candidate> c = context.candidates();
            int n = c.size();
            if (n == 0) {
                return NO_SERVERS;
            }
            if (last >= n) {
                last = n - 1;
            }
            for (int step = 1; step <= n; step++) {
                int i = (last + step) % n;
                if (c.get(i).available()) {
                    last = i;
                    return Pick.of(c.get(i).index());
                }
            }
            return ALL_UNAVAILABLE;
        }
    }

    /**
     * The lowest priority value among available candidates, lowest index on ties. The candidates sorted by
     * priority are kept until the candidate list changes, so a pick usually looks at one candidate.
     */
    static final class Priority implements Picker {
        private List<Candidate> sortedFrom;
        private Candidate[] byPriority;

        @Override
        public Pick pick(PickContext context) {
            List<Candidate> c = context.candidates();
            if (c != sortedFrom) {
                Candidate[] sorted = c.toArray(new Candidate[0]);
                java.util.Arrays.sort(sorted, java.util.Comparator
                        .comparingInt((Candidate k) -> k.backend().priority()).thenComparingInt(Candidate::index));
                byPriority = sorted;
                sortedFrom = c;
            }
            for (Candidate k : byPriority) {
                if (k.available()) {
                    return Pick.of(k.index());
                }
            }
            return ALL_UNAVAILABLE;
        }
    }

    /** Follows the mode flags at every pick: prio, else weight, else hash, else round robin. */
    static final class PenModes implements Picker {
        private final RoundRobin roundRobin = new RoundRobin();
        private final Priority priority = new Priority();

        @Override
        public Pick pick(PickContext context) {
            Modes m = context.modes();
            if (m.prio()) {
                return priority.pick(context);
            }
            if (m.weight()) {
                return weightPick(context);
            }
            if (m.hash()) {
                return hashPick(context);
            }
            return roundRobin.pick(context);
        }
    }

    /**
     * The hash modulo every slot, empty ones included, as pen takes it: a client whose slot is empty fails over
     * from there, and removing a server moves no other server's clients.
     */
    static Pick hashPick(PickContext context) {
        if (context.candidates().isEmpty()) {
            return NO_SERVERS;
        }
        long h = addressHash(context.clientAddress());
        if (context.modes().roundRobin()) {
            h = mix(h ^ context.clientPort());
        }
        return Pick.of((int) Long.remainderUnsigned(h, context.slots()));
    }

    static Pick weightPick(PickContext context) {
        List<Candidate> c = context.candidates();
        int best = -1;
        long bestLoad = Long.MAX_VALUE;
        for (int i = 0; i < c.size() && bestLoad > 0; i++) {
            // An idle backend cannot be beaten, so the scan stops at the first available one.
            Candidate k = c.get(i);
            int weight = k.backend().effectiveWeight();
            if (weight == 0) {
                continue;
            }
            long scaled = 256L * k.activeConnections();
            // pen's load is scaled / weight rounded down; it is below bestLoad exactly when scaled is below
            // bestLoad * weight, which spares a division for every backend that does not win.
            if ((best < 0 || scaled < bestLoad * weight) && k.available()) {
                bestLoad = scaled / weight;
                best = k.index();
            }
        }
        return best < 0 ? NO_WEIGHT : Pick.of(best);
    }

    /** A well-mixed hash of every byte of the address, stable across runs (no per-process seed). */
    static long addressHash(InetAddress address) {
        if (address == null) {
            return 0;
        }
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : address.getAddress()) {
            h = mix(h ^ (b & 0xFF));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB93FE1A85EC5L;
        return z ^ (z >>> 33);
    }
}
