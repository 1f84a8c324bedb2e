package dev.pen.api;

import java.net.SocketAddress;

/**
 * A read-only snapshot of one backend slot: its pen index, its configuration, the address it resolved to, and
 * its live figures. {@code bytesToBackend} is pen's {@code sx} (client to server), {@code bytesFromBackend} its
 * {@code rx}. {@code lastFailureMillis} is the wall time of the last connect failure (0 = never), shown as the
 * status column of pen's statistics page; {@code connectFailures} counts the failed or timed-out connects since it
 * was added; {@code blacklistedUntilMillis} is 0 when not blacklisted. {@code down} is whether it fails its active
 * health checks, also while {@code state} shows it draining; {@code lastCheck} is the outcome of the last health
 * check, or {@code null} when none has run.
 */
public record BackendStats(int index, Backend backend, SocketAddress resolvedAddress, int activeConnections,
        long totalConnections, long bytesToBackend, long bytesFromBackend, long lastFailureMillis,
        long connectFailures, long blacklistedUntilMillis, BackendState state, boolean down, CheckResult lastCheck) {

    /** Figures of a backend no health check has looked at. */
    public BackendStats(int index, Backend backend, SocketAddress resolvedAddress, int activeConnections,
            long totalConnections, long bytesToBackend, long bytesFromBackend, long lastFailureMillis,
            long connectFailures, long blacklistedUntilMillis, BackendState state) {
        this(index, backend, resolvedAddress, activeConnections, totalConnections, bytesToBackend, bytesFromBackend,
                lastFailureMillis, connectFailures, blacklistedUntilMillis, state, false, null);
    }
}
