package dev.pen.netty.internal.select;

import dev.pen.api.BackendState;
import dev.pen.api.CheckResult;
import java.util.concurrent.atomic.AtomicBoolean;
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
    /** Failing its active health checks; written only by its check. */
    volatile boolean down;
    volatile CheckResult lastCheck;
    /** Slow start: the length of the ramp that ends at {@link #slowStartEndNanos}; 0 when not ramping. */
    volatile long slowStartNanos;
    volatile long slowStartEndNanos;
    /** Share of new clients earned and not yet taken while ramping; guarded by the selector's lock. */
    double slowStartCredit;
    /** The state listeners were last told of; guarded by {@link #stateLock}. */
    BackendState reported = BackendState.UP;
    final Object stateLock = new Object();
    /** Whether a timer will tell the listeners when the blacklist ends. */
    final AtomicBoolean blacklistEndWatched = new AtomicBoolean();
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

    /** A connection to this backend that no client asked for was opened (pen's idlers). */
    public void connectionOpened() {
        active.incrementAndGet();
        total.incrementAndGet();
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

    /** Whether failing its health checks now. */
    public boolean down() {
        return down;
    }

    /** The outcome of the last health check, or null. */
    public CheckResult lastCheck() {
        return lastCheck;
    }

    /** Records a health check's outcome and whether the server is now down. */
    public void checked(CheckResult result, boolean nowDown) {
        lastCheck = result;
        down = nowDown;
    }

    /** Back from down: its share of new clients grows from none to full over {@code lengthNanos} (0: at once). */
    public void startSlowStart(long nowNanos, long lengthNanos) {
        slowStartEndNanos = nowNanos + lengthNanos;
        slowStartNanos = lengthNanos;
    }

    /** Checks off: the server is judged by pen's blacklist only, and takes its full share. */
    public void clearHealth() {
        down = false;
        lastCheck = null;
        slowStartNanos = 0;
    }

    /** The share of its full load a server in slow start takes at {@code nowNanos}: in [0, 1], 1 once ramped. */
    double rampedShare(long nowNanos) {
        long length = slowStartNanos;
        if (length == 0) {
            return 1;
        }
        long left = slowStartEndNanos - nowNanos;
        return left <= 0 ? 1 : 1.0 - (double) left / length;
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
