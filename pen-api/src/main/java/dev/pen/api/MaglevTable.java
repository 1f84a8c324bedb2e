package dev.pen.api;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One Maglev lookup table (see {@link MaglevStrategy}): immutable once built, so a picker may publish it to other
 * threads. It answers for the candidate list it was built from; its entries hold positions in {@link #servers},
 * which are in the order of their keys, so the same servers in any slot order give the same entries.
 */
final class MaglevTable {
    /** No server: the table of a list without a server of weight above 0. */
    static final int NONE = -1;

    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;
    /** Two fixed constants that make the offset and the skip (or a client's start and step) two unrelated hashes. */
    private static final long FIRST = 0x9E3779B97F4A7C15L;
    private static final long SECOND = 0xC2B2AE3D27D4EB4FL;

    /** The candidate list this table answers for (its identity is what a picker compares). */
    final List<Candidate> from;
    /** The servers in the table, in key order. */
    final Candidate[] servers;
    final String[] keys;
    final int[] weights;
    /** Per entry, a position in {@link #servers}, or {@link #NONE} when there is none. */
    final int[] entries;
    /** Per server, how many entries it holds. */
    final int[] held;

    private MaglevTable(List<Candidate> from, Candidate[] servers, String[] keys, int[] weights, int[] entries,
            int[] held) {
        this.from = from;
        this.servers = servers;
        this.keys = keys;
        this.weights = weights;
        this.entries = entries;
        this.held = held;
    }

    /**
     * The table of {@code size} entries for {@code candidates}; the entries of {@code previous} (may be null) are
     * taken over when it had the same keys and weights, so a change of anything else costs no build.
     */
    static MaglevTable build(List<Candidate> candidates, int size, MaglevTable previous) {
        List<Candidate> in = new ArrayList<>(candidates.size());
        List<String> keyOf = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            String key = key(c.backend().address());
            if (key != null && c.backend().effectiveWeight() > 0) {
                in.add(c);
                keyOf.add(key);
            }
        }
        Integer[] order = new Integer[in.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Key, then weight: the order is the servers' own, whatever their slots.
        Arrays.sort(order, Comparator.comparing((Integer i) -> keyOf.get(i))
                .thenComparingInt(i -> in.get(i).backend().effectiveWeight()));
        Candidate[] servers = new Candidate[order.length];
        String[] keys = new String[order.length];
        int[] weights = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            servers[i] = in.get(order[i]);
            keys[i] = keyOf.get(order[i]);
            weights[i] = servers[i].backend().effectiveWeight();
        }
        if (previous != null && previous.entries.length == size && Arrays.equals(previous.keys, keys)
                && Arrays.equals(previous.weights, weights)) {
            return new MaglevTable(candidates, servers, keys, weights, previous.entries, previous.held);
        }
        int[] held = new int[servers.length];
        return new MaglevTable(candidates, servers, keys, weights, fill(keys, weights, size, held), held);
    }

    /**
     * Maglev's population with weights: the servers take turns in key order; each turn adds a server's weight to
     * its credit, and while the credit reaches the largest weight it claims the next free entry of its
     * permutation ({@code offset + j * skip} modulo the prime size, which visits every entry once).
     */
    private static int[] fill(String[] keys, int[] weights, int size, int[] held) {
        int[] entries = new int[size];
        Arrays.fill(entries, NONE);
        int n = keys.length;
        if (n == 0) {
            return entries;
        }
        int[] position = new int[n];
        int[] skip = new int[n];
        long[] credit = new long[n];
        int heaviest = 0;
        for (int i = 0; i < n; i++) {
            long h = fnv1a(keys[i].getBytes(StandardCharsets.UTF_8));
            position[i] = (int) Long.remainderUnsigned(mix(h ^ FIRST), size);
            skip[i] = (int) Long.remainderUnsigned(mix(h ^ SECOND), size - 1) + 1;
            heaviest = Math.max(heaviest, weights[i]);
        }
        int filled = 0;
        while (filled < size) {
            for (int i = 0; i < n && filled < size; i++) {
                credit[i] += weights[i];
                if (credit[i] < heaviest) {
                    continue;
                }
                credit[i] -= heaviest;
                int p = position[i];
                while (entries[p] != NONE) {
                    p = advance(p, skip[i], size);
                }
                entries[p] = i;
                held[i]++;
                position[i] = advance(p, skip[i], size);
                filled++;
            }
        }
        return entries;
    }

    private static int advance(int p, int step, int size) {
        int next = p + step;
        return next >= size || next < 0 ? next - size : next;
    }

    /** A client's hash: its IP address's bytes (an IPv4-mapped IPv6 address as IPv4); a Unix client hashes none. */
    static long clientHash(InetAddress address) {
        if (address == null) {
            return mix(FNV_OFFSET);
        }
        byte[] b = address.getAddress();
        if (b.length == 16 && isV4Mapped(b)) {
            b = Arrays.copyOfRange(b, 12, 16);
        }
        return mix(fnv1a(b));
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    /** The first entry of the client with hash {@code h}. */
    int start(long h) {
        return (int) Long.remainderUnsigned(h, entries.length);
    }

    /** The step of the client with hash {@code h} through the entries: 1 to size - 1, so it visits all. */
    int step(long h) {
        return (int) Long.remainderUnsigned(mix(h ^ SECOND), entries.length - 1) + 1;
    }

    /** The entry after {@code p} for a client of step {@code step}. */
    int next(int p, int step) {
        return advance(p, step, entries.length);
    }

    /**
     * The key a server is placed by: its address text with an IP literal in canonical form and a host name in
     * lower case, or its Unix socket path; {@code null} for the wildcard address, a slot that takes no client.
     */
    static String key(Address address) {
        if (address.isUnix()) {
            return address.path();
        }
        Optional<InetAddress> ip = HostPort.ipLiteral(address.host());
        if (ip.isPresent()) {
            if (ip.get().isAnyLocalAddress()) {
                return null;
            }
            return Address.of(ip.get().getHostAddress(), address.port()).toString();
        }
        return Address.of(address.host().toLowerCase(Locale.ROOT), address.port()).toString();
    }

    /** 64-bit FNV-1a. */
    static long fnv1a(byte[] bytes) {
        long h = FNV_OFFSET;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** murmur3's 64-bit finaliser: every bit of the input reaches every bit of the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB93FE1A85EC5L;
        return z ^ (z >>> 33);
    }
}
