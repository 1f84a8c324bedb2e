package dev.pen.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Active health check settings, as HAProxy's {@code check}, {@code inter}, {@code fastinter}, {@code rise},
 * {@code fall}, {@code slowstart} and {@code timeout check}. pen has no active checks: by default nothing is set and
 * no server is checked.
 *
 * <p>Each field is either given or not, so that one value can lie over another: the balancer's
 * ({@link BalancerConfig#healthCheck()}) applies to every backend, and a backend's own
 * ({@link Backend#healthCheck()}) overrides only the fields it gives ({@link #over(HealthCheck)}). What is given
 * nowhere takes HAProxy's default ({@link #resolve()}): no check, {@code inter} 2 s, {@code rise} 2, {@code fall}
 * 3, {@code fastinter} and the timeout equal to {@code inter}, slow start off.
 *
 * <p>Immutable; the {@code with...} methods check their value and name it with what was expected when it is bad.
 */
public final class HealthCheck {
    /** HAProxy's default time between two checks. */
    public static final Duration DEFAULT_INTER = Duration.ofSeconds(2);
    /** HAProxy's default number of passing checks that bring a down server back. */
    public static final int DEFAULT_RISE = 2;
    /** HAProxy's default number of failing checks that take a server down. */
    public static final int DEFAULT_FALL = 3;
    /** The shortest interval or timeout accepted, so that no setting makes the checks a flood. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    /** The longest interval, timeout or slow start accepted. */
    public static final Duration MAX_INTERVAL = Duration.ofHours(24);
    /** The largest rise or fall accepted. */
    public static final int MAX_COUNT = 1000;
    /** The longest HTTP check path accepted. */
    public static final int MAX_PATH = 1024;

    /** Nothing given: everything as the settings underneath, or HAProxy's defaults. */
    public static final HealthCheck NONE = new HealthCheck(null, null, null, null, null, null, null, null);

    /** What a check does. */
    public enum Kind {
        /** No check: the server is judged only by pen's blacklist. */
        OFF,
        /** A TCP connect that succeeds passes. */
        TCP,
        /** An HTTP/1.1 {@code GET} of the path, with the server's {@code Host}; a 2xx or 3xx status passes. */
        HTTP
    }

    private final Kind kind;
    private final String path;
    private final Duration inter;
    private final Duration fastInter;
    private final Integer rise;
    private final Integer fall;
    private final Duration slowStart;
    private final Duration timeout;

    private HealthCheck(Kind kind, String path, Duration inter, Duration fastInter, Integer rise, Integer fall,
            Duration slowStart, Duration timeout) {
        this.kind = kind;
        this.path = path;
        this.inter = inter;
        this.fastInter = fastInter;
        this.rise = rise;
        this.fall = fall;
        this.slowStart = slowStart;
        this.timeout = timeout;
    }

    /** Checks turned off (over a balancer's checks, for one backend). */
    public static HealthCheck off() {
        return NONE.withKind(Kind.OFF, null);
    }

    /** A TCP connect check, other fields not given. */
    public static HealthCheck tcp() {
        return NONE.withKind(Kind.TCP, null);
    }

    /** An HTTP check of {@code path} (starting with {@code /}), other fields not given. */
    public static HealthCheck http(String path) {
        return NONE.withKind(Kind.HTTP, path);
    }

    /**
     * A copy checking with {@code newKind}; {@code newPath} is required for {@link Kind#HTTP} and must be null
     * otherwise. An HTTP path is at most {@link #MAX_PATH} visible ASCII characters starting with {@code /}.
     */
    public HealthCheck withKind(Kind newKind, String newPath) {
        Objects.requireNonNull(newKind, "kind");
        if (newKind == Kind.HTTP) {
            checkPath(newPath);
        } else if (newPath != null) {
            throw new IllegalArgumentException("unexpected path '" + newPath + "' for a " + newKind
                    + " check (expected a path only with an HTTP check)");
        }
        return new HealthCheck(newKind, newPath, inter, fastInter, rise, fall, slowStart, timeout);
    }

    /** A copy checking every {@code interval} while the server's state is settled (HAProxy's {@code inter}). */
    public HealthCheck withInter(Duration interval) {
        return new HealthCheck(kind, path, interval("inter", interval), fastInter, rise, fall, slowStart, timeout);
    }

    /**
     * A copy checking every {@code interval} while the server is going up or down: after a failure while up, or a
     * pass while down (HAProxy's {@code fastinter}; {@code inter} when not given).
     */
    public HealthCheck withFastInter(Duration interval) {
        return new HealthCheck(kind, path, inter, interval("fastinter", interval), rise, fall, slowStart, timeout);
    }

    /** A copy that brings a down server back after {@code count} passing checks in a row (1 to 1000). */
    public HealthCheck withRise(int count) {
        return new HealthCheck(kind, path, inter, fastInter, count("rise", count), fall, slowStart, timeout);
    }

    /** A copy that takes a server down after {@code count} failing checks in a row (1 to 1000). */
    public HealthCheck withFall(int count) {
        return new HealthCheck(kind, path, inter, fastInter, rise, count("fall", count), slowStart, timeout);
    }

    /**
     * A copy whose servers, when they come back up, take a share of new clients that grows from none to their
     * full share over {@code duration}; {@link Duration#ZERO} turns slow start off.
     */
    public HealthCheck withSlowStart(Duration duration) {
        Objects.requireNonNull(duration, "slowstart");
        if (!duration.isZero()) {
            interval("slowstart", duration);
        }
        return new HealthCheck(kind, path, inter, fastInter, rise, fall, duration, timeout);
    }

    /**
     * A copy whose checks fail when not done within {@code limit}: the connect, and for HTTP the status line
     * (HAProxy's {@code timeout check}; {@code inter} when not given).
     */
    public HealthCheck withTimeout(Duration limit) {
        return new HealthCheck(kind, path, inter, fastInter, rise, fall, slowStart, interval("check timeout", limit));
    }

    /** What the check does, when given. */
    public Optional<Kind> kind() {
        return Optional.ofNullable(kind);
    }

    /** The HTTP check's path, when an HTTP check is given. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** {@code inter}, when given. */
    public Optional<Duration> inter() {
        return Optional.ofNullable(inter);
    }

    /** {@code fastinter}, when given. */
    public Optional<Duration> fastInter() {
        return Optional.ofNullable(fastInter);
    }

    /** {@code rise}, when given. */
    public OptionalInt rise() {
        return rise == null ? OptionalInt.empty() : OptionalInt.of(rise);
    }

    /** {@code fall}, when given. */
    public OptionalInt fall() {
        return fall == null ? OptionalInt.empty() : OptionalInt.of(fall);
    }

    /** The slow start time, when given. */
    public Optional<Duration> slowStart() {
        return Optional.ofNullable(slowStart);
    }

    /** The check timeout, when given. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Whether nothing is given. */
    public boolean isNone() {
        return equals(NONE);
    }

    /** These settings lying over {@code base}: each field given here, else {@code base}'s. */
    public HealthCheck over(HealthCheck base) {
        Objects.requireNonNull(base, "base");
        return new HealthCheck(kind != null ? kind : base.kind, kind != null ? path : base.path,
                inter != null ? inter : base.inter, fastInter != null ? fastInter : base.fastInter,
                rise != null ? rise : base.rise, fall != null ? fall : base.fall,
                slowStart != null ? slowStart : base.slowStart, timeout != null ? timeout : base.timeout);
    }

    /** The settings in force: each field given, else HAProxy's default. */
    public Resolved resolve() {
        Duration i = inter != null ? inter : DEFAULT_INTER;
        return new Resolved(kind != null ? kind : Kind.OFF, path, i, fastInter != null ? fastInter : i,
                rise != null ? rise : DEFAULT_RISE, fall != null ? fall : DEFAULT_FALL,
                slowStart != null ? slowStart : Duration.ZERO, timeout != null ? timeout : i);
    }

    /**
     * Health check settings with every field decided, as a balancer checks a server.
     *
     * @param kind what the check does
     * @param path the HTTP check's path; {@code null} unless {@code kind} is HTTP
     * @param inter the time between checks while the server's state is settled
     * @param fastInter the time between checks while it is going up or down
     * @param rise passing checks in a row that bring a down server back
     * @param fall failing checks in a row that take a server down
     * @param slowStart how long a server that came back takes to reach its full share; zero for at once
     * @param timeout how long one check may take
     */
    public record Resolved(Kind kind, String path, Duration inter, Duration fastInter, int rise, int fall,
            Duration slowStart, Duration timeout) {

        /** Whether the server is checked at all. */
        public boolean checks() {
            return kind != Kind.OFF;
        }
    }

    private static Duration interval(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.compareTo(MIN_INTERVAL) < 0 || d.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("unexpected " + name + ": " + d.toMillis() + " ms (expected "
                    + MIN_INTERVAL.toMillis() + " ms to " + MAX_INTERVAL.toHours() + " h)");
        }
        return d;
    }

    private static int count(String name, int n) {
        if (n < 1 || n > MAX_COUNT) {
            throw new IllegalArgumentException("unexpected " + name + ": " + n + " (expected 1.." + MAX_COUNT + ")");
        }
        return n;
    }

    private static void checkPath(String p) {
        if (p == null || !p.startsWith("/") || p.length() > MAX_PATH || !p.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("unexpected HTTP check path '" + p + "' (expected /PATH: at most "
                    + MAX_PATH + " visible ASCII characters, no spaces)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HealthCheck h && kind == h.kind && Objects.equals(path, h.path)
                && Objects.equals(inter, h.inter) && Objects.equals(fastInter, h.fastInter)
                && Objects.equals(rise, h.rise) && Objects.equals(fall, h.fall)
                && Objects.equals(slowStart, h.slowStart) && Objects.equals(timeout, h.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, path, inter, fastInter, rise, fall, slowStart, timeout);
    }

    /** The fields given, as {@code HealthCheck{http /health, inter 100 ms, fall 2}}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("HealthCheck{");
        String sep = "";
        if (kind != null) {
            b.append(kind.name().toLowerCase(java.util.Locale.ROOT)).append(path == null ? "" : " " + path);
            sep = ", ";
        }
        sep = field(b, sep, "inter", inter);
        sep = field(b, sep, "fastinter", fastInter);
        sep = field(b, sep, "rise", rise);
        sep = field(b, sep, "fall", fall);
        sep = field(b, sep, "slowstart", slowStart);
        field(b, sep, "timeout", timeout);
        return b.append('}').toString();
    }

    private static String field(StringBuilder b, String sep, String name, Object value) {
        if (value == null) {
            return sep;
        }
        b.append(sep).append(name).append(' ').append(value instanceof Duration d ? d.toMillis() + " ms" : value);
        return ", ";
    }
}
