package dev.pen.api;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Picker} may look at for one pick: an immutable value made for that pick alone, so a picker may
 * keep it or hand it to another thread.
 *
 * @param clientAddress the client's address; {@code null} for a client on a Unix socket
 * @param clientPort the client's port; 0 for a client on a Unix socket
 * @param candidates the occupied backend slots in index order. The list is immutable and the same list object
 *     is passed until the backends change, so a picker may cache what it derives from it; each candidate's
 *     figures ({@link Candidate#activeConnections()}, {@link Candidate#available()}) are read live
 * @param slots the number of backend slots, empty ones included (pen's server count, which pen's hash is taken
 *     modulo)
 * @param tried the backends already tried for this client, in the order tried (empty for the first pick; for
 *     {@link Picker#next(PickContext)}, the first pick and each failover after it)
 * @param modes the balancer's mode flags
 * @param nanoTime the time of the pick, from {@link System#nanoTime()}
 */
public record PickContext(InetAddress clientAddress, int clientPort, List<Candidate> candidates, int slots,
        List<Integer> tried, Modes modes, long nanoTime) {

    /** Checks that the lists and modes are given and that the slots hold every candidate. */
    public PickContext {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(tried, "tried");
        Objects.requireNonNull(modes, "modes");
        if (slots < candidates.size()) {
            throw new IllegalArgumentException(
                    "unexpected slots: " + slots + " (expected at least the " + candidates.size() + " candidates)");
        }
    }

    /** The same pick with {@code index} added to the servers tried. */
    public PickContext withTried(int index) {
        Integer[] next = tried.toArray(new Integer[tried.size() + 1]);
        next[tried.size()] = index;
        return new PickContext(clientAddress, clientPort, candidates, slots, List.of(next), modes, nanoTime);
    }
}
