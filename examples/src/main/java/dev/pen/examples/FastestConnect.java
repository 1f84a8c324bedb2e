package dev.pen.examples;

import dev.pen.api.Candidate;
import dev.pen.api.Pick;
import dev.pen.api.PickContext;
import dev.pen.api.Picker;
import dev.pen.api.Strategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A latency-aware strategy written outside the library: power of two choices over a moving average of connect
 * times, as Finagle balances. For each new client two available backends are drawn at random, and the one with
 * the lower cost (average connect time, times one more than its open connections) wins, so a backend that is
 * slow to accept, or busy, gets fewer new clients without being starved of the traffic that would show it has
 * recovered. It learns only from what the selector tells every picker: {@link Picker#connected} and
 * {@link Picker#failed}.
 */
public final class FastestConnect implements Strategy {
    /** How much of a new connect time goes into the average: the last ten or so connects count most. */
    private static final double WEIGHT_OF_NEW = 0.2;
    /** What a failed connect counts as: a second. */
    private static final double FAILURE_NANOS = 1e9;

    private final long seed;

    /** The draw is seeded, so two balancers (or two runs) with the same seed draw alike. */
    public FastestConnect(long seed) {
        this.seed = seed;
    }

    @Override
    public Picker newPicker() {
        return new Choices(new SplittableRandom(seed));
    }

    /** One balancer's state: the average connect time of each backend by index. */
    static final class Choices implements Picker {
        private final SplittableRandom random;
        private final Map<Integer, Double> averageNanos = new HashMap<>();

        Choices(SplittableRandom random) {
            this.random = random;
        }

        @Override
        public Pick pick(PickContext context) {
            List<Candidate> all = context.candidates();
            Candidate first = draw(all);
            if (first == null) {
                return Pick.none("no available server");
            }
            Candidate second = draw(all);
            return Pick.of(second == null || cost(first) <= cost(second) ? first.index() : second.index());
        }

        /** A random available candidate, or null when a few draws find none (then a scan decides). */
        private Candidate draw(List<Candidate> all) {
            for (int attempt = 0; attempt < 4 && !all.isEmpty(); attempt++) {
                Candidate c = all.get(random.nextInt(all.size()));
                if (c.available()) {
                    return c;
                }
            }
            return all.stream().filter(Candidate::available).findFirst().orElse(null);
        }

        private double cost(Candidate c) {
            return averageNanos.getOrDefault(c.index(), 0.0) * (c.activeConnections() + 1);
        }

        @Override
        public void connected(int index, long connectNanos) {
            learn(index, connectNanos);
        }

        @Override
        public void failed(int index) {
            learn(index, FAILURE_NANOS);
        }

        private void learn(int index, double nanos) {
            averageNanos.merge(index, nanos, (old, now) -> old + WEIGHT_OF_NEW * (now - old));
        }

        /** The average connect time of backend {@code index} in nanoseconds; 0 before its first connect. */
        double averageNanos(int index) {
            return averageNanos.getOrDefault(index, 0.0);
        }
    }
}
