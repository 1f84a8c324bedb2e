package dev.pen.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts that can change while the balancer runs: connect timeout (pen's -t, default 3 s),
 * blacklist time (-b, 30 s), client table size (-c, 2048), tracking time (-T, 0 = clients never expire) and
 * maximum simultaneous connections (-x, 500).
 */
public record Limits(Duration connectTimeout, Duration blacklistTime, int clientTableSize, Duration trackingTime,
        int maxConnections) {

    /** The largest client table and connection limit: each takes memory up front or per connection. */
    public static final int MAX_TABLE = 1 << 20;

    /** pen's defaults. */
    public static final Limits DEFAULT =
            new Limits(Duration.ofSeconds(3), Duration.ofSeconds(30), 2048, Duration.ZERO, 500);

    /** Checks every value, naming the bad one and what was expected. */
    public Limits {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(blacklistTime, "blacklistTime");
        Objects.requireNonNull(trackingTime, "trackingTime");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "unexpected connect timeout: " + connectTimeout.toMillis() + " ms (expected more than 0)");
        }
        if (blacklistTime.isNegative()) {
            throw new IllegalArgumentException(
                    "unexpected blacklist time: " + blacklistTime.toSeconds() + " s (expected 0 or more)");
        }
        if (trackingTime.isNegative()) {
            throw new IllegalArgumentException(
                    "unexpected tracking time: " + trackingTime.toSeconds() + " s (expected 0 or more)");
        }
        if (clientTableSize < 1 || clientTableSize > MAX_TABLE) {
            throw new IllegalArgumentException(
                    "unexpected client table size: " + clientTableSize + " (expected 1.." + MAX_TABLE + ")");
        }
        if (maxConnections < 1 || maxConnections > MAX_TABLE) {
            throw new IllegalArgumentException(
                    "unexpected max connections: " + maxConnections + " (expected 1.." + MAX_TABLE + ")");
        }
    }

    /** A copy with the connect timeout (pen's -t) set to {@code d}. */
    public Limits withConnectTimeout(Duration d) {
        return new Limits(d, blacklistTime, clientTableSize, trackingTime, maxConnections);
    }

    /** A copy with the blacklist time (pen's -b) set to {@code d}. */
    public Limits withBlacklistTime(Duration d) {
        return new Limits(connectTimeout, d, clientTableSize, trackingTime, maxConnections);
    }

    /** A copy with the client table size (pen's -c) set to {@code n}. */
    public Limits withClientTableSize(int n) {
        return new Limits(connectTimeout, blacklistTime, n, trackingTime, maxConnections);
    }

    /** A copy with the tracking time (pen's -T) set to {@code d}; zero keeps clients for ever. */
    public Limits withTrackingTime(Duration d) {
        return new Limits(connectTimeout, blacklistTime, clientTableSize, d, maxConnections);
    }

    /** A copy with the connection limit (pen's -x) set to {@code n}. */
    public Limits withMaxConnections(int n) {
        return new Limits(connectTimeout, blacklistTime, clientTableSize, trackingTime, n);
    }
}
