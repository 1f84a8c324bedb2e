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

    public int active() {
        return active.get();
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
