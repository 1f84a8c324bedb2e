package dev.pen.netty.internal.select;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live figures and health of one backend. Kept apart from its configuration so that a change of limits,
 * weight or priority keeps the figures; updated from the relay's threads without locks.
 */
public final class BackendLive {
    final AtomicInteger active = new AtomicInteger();
    final AtomicLong total = new AtomicLong();
    final LongAdder bytesToBackend = new LongAdder();
    final LongAdder bytesFromBackend = new LongAdder();
    final AtomicLong connectFailures = new AtomicLong();
    volatile long blacklistedUntilNanos;
    /** False until the first blacklisting, so that a backend never blacklisted is judged without a clock call. */
    volatile boolean everBlacklisted;
    volatile long blacklistedUntilMillis;
    volatile long lastFailureMillis;
    volatile boolean draining;
    /** Who hears each connection's connect time and duration (the metrics' timers); {@code null} when no one. */
    volatile Timing timing;

    /**
     * Hears the times of each connection to this backend, once per connection and never per byte, on the
     * connection's event loop; must not block.
     */
    public interface Timing {
        /** A connect succeeded after {@code connectNanos} from the start of the attempt. */
        void connected(long connectNanos);

        /** A connection ended {@code durationNanos} after its client was accepted. */
        void closed(long durationNanos);
    }

    /** Sets who hears the connection times, or {@code null} for no one. */
    public void timing(Timing t) {
        this.timing = t;
    }

    public int active() {
        return active.get();
    }

    /** Connections to this backend since it was added. */
    public long total() {
        return total.get();
    }

    public long connectFailures() {
        return connectFailures.get();
    }

    /** Adds bytes relayed from client to backend. */
    public void addBytesToBackend(long n) {
        bytesToBackend.add(n);
    }

    /** Adds bytes relayed from backend to client. */
    public void addBytesFromBackend(long n) {
        bytesFromBackend.add(n);
    }

    public long bytesToBackend() {
        return bytesToBackend.sum();
    }

    public long bytesFromBackend() {
        return bytesFromBackend.sum();
    }

    /** One connection to this backend ended. */
    public void connectionClosed() {
        active.decrementAndGet();
    }

    boolean blacklisted(long nowNanos) {
        return nowNanos - blacklistedUntilNanos < 0;
    }

    /** Whether blacklisted now; reads the clock only for a backend that has ever been blacklisted. */
    boolean blacklistedNowCheaply() {
        return everBlacklisted && blacklisted(System.nanoTime());
    }

    public boolean blacklistedNow() {
        return blacklisted(System.nanoTime());
    }

    void blacklist(long nowNanos, long durationNanos) {
        if (durationNanos <= 0) {
            blacklistedUntilNanos = nowNanos;
            blacklistedUntilMillis = 0;
        } else {
            blacklistedUntilNanos = nowNanos + durationNanos;
            everBlacklisted = true;
            blacklistedUntilMillis = System.currentTimeMillis() + durationNanos / 1_000_000;
        }
    }
}
