package dev.pen.api;

import java.util.List;

/**
 * Chooses a backend for one new client. The selector calls a picker from one thread at a time, so a picker may
 * keep plain mutable state; it must not block. It hears of outcomes, so that adaptive strategies (least time,
 * EWMA of connect time, power of two choices) can learn.
 */
public interface Picker {

    /** The choice for {@code context}'s client: a candidate's index, or {@link Pick#none(String)}. */
    Pick pick(PickContext context);

    /**
     * The backend to try after those in {@code context.tried()} failed or were refused, or
     * {@link Strategy#NO_BACKEND} to stop (the emergency server is tried next, if there is one). The selector
     * asks at most once per slot for one client, so an answer that repeats a backend only ends the scan sooner.
     * The default is pen's order: the following slots by index, up to the first one tried, which is not tried
     * again; a consistent-hash strategy may fail over along its own permutation instead.
     */
    default int next(PickContext context) {
        List<Integer> tried = context.tried();
        int n = context.slots();
        if (tried.isEmpty() || n < 2) {
            return Strategy.NO_BACKEND;
        }
        int last = tried.get(tried.size() - 1);
        if (last < 0 || last >= n) {
            return Strategy.NO_BACKEND;
        }
        int next = (last + 1) % n;
        return next == tried.get(0) ? Strategy.NO_BACKEND : next;
    }

    /**
     * The candidates are about to become {@code candidates} (a new configuration): a picker that derives something
     * costly from the list, such as a lookup table, builds it here, on the thread applying the configuration, so
     * that no pick pays for it. It is called before any pick sees that list, but picks on the previous list may
     * run meanwhile on other threads, so what it builds must be published safely (a volatile field holding an
     * immutable value) and checked against the list a pick is given. The default does nothing.
     */
    default void prepare(List<Candidate> candidates) {
    }

    /** The connection to backend {@code index} was established, {@code connectNanos} after it was started. */
    default void connected(int index, long connectNanos) {
    }

    /** The connection to backend {@code index} failed or timed out. */
    default void failed(int index) {
    }

    /**
     * A connection to backend {@code index} ended, {@code durationNanos} after the client was accepted, having
     * relayed {@code bytes} bytes both ways together.
     */
    default void closed(int index, long durationNanos, long bytes) {
    }
}
