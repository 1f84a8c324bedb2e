package dev.pen.launcher.cli;

import dev.pen.api.HealthCheck;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The one grammar of the active health check settings, shared by the long options ({@code --check tcp},
 * {@code --inter 200ms}), the control commands ({@code check ...}, {@code server N check ...}) and {@code write}:
 * a check is {@code tcp}, {@code http:PATH} or {@code off}; the other settings are keyword and value pairs,
 * durations as {@link DurationText} reads them.
 */
public final class CheckText {
    /** The keywords, in the order they are written. */
    public static final List<String> KEYWORDS =
            List.of("check", "inter", "fastinter", "rise", "fall", "slowstart", "check_timeout");
    /** What a check is expected to be. */
    public static final String EXPECTED_KIND = "tcp, http:PATH or off";

    private CheckText() {
    }

    /**
     * {@code base} with the setting {@code keyword} set to {@code value}.
     *
     * @throws IllegalArgumentException naming the value and what was expected; also for an unknown keyword
     */
    public static HealthCheck apply(HealthCheck base, String keyword, String value) {
        return switch (keyword) {
            case "check" -> kind(base, value);
            case "inter" -> base.withInter(DurationText.parse(value));
            case "fastinter" -> base.withFastInter(DurationText.parse(value));
            case "rise" -> base.withRise(count(value));
            case "fall" -> base.withFall(count(value));
            case "slowstart" -> base.withSlowStart(DurationText.parse(value));
            case "check_timeout" -> base.withTimeout(DurationText.parse(value));
            default -> throw new IllegalArgumentException("unexpected keyword '" + keyword + "' (expected one of "
                    + String.join(", ", KEYWORDS) + ")");
        };
    }

    /** {@code base} checking as {@code text} says: {@code tcp}, {@code http:PATH} or {@code off}. */
    public static HealthCheck kind(HealthCheck base, String text) {
        if (text.equals("tcp")) {
            return base.withKind(HealthCheck.Kind.TCP, null);
        }
        if (text.equals("off")) {
            return base.withKind(HealthCheck.Kind.OFF, null);
        }
        if (text.startsWith("http:")) {
            try {
                return base.withKind(HealthCheck.Kind.HTTP, text.substring(5));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unexpected value '" + text + "' (expected http:/PATH, the path "
                        + "in visible ASCII without spaces)");
            }
        }
        throw new IllegalArgumentException("unexpected value '" + text + "' (expected " + EXPECTED_KIND + ")");
    }

    private static int count(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= HealthCheck.MAX_COUNT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException("unexpected value '" + text + "' (expected a number 1.."
                + HealthCheck.MAX_COUNT + ")");
    }

    /** {@code tcp}, {@code http:PATH} or {@code off}. */
    public static String kindText(HealthCheck.Kind kind, String path) {
        return kind == HealthCheck.Kind.HTTP ? "http:" + path : kind.name().toLowerCase(Locale.ROOT);
    }

    /** The settings given in {@code check}, as keyword and value pairs that {@link #apply} reads back. */
    public static String pairs(HealthCheck check) {
        StringBuilder b = new StringBuilder();
        check.kind().ifPresent(k -> pair(b, "check", kindText(k, check.path().orElse(null))));
        check.inter().ifPresent(d -> pair(b, "inter", DurationText.format(d)));
        check.fastInter().ifPresent(d -> pair(b, "fastinter", DurationText.format(d)));
        count(b, "rise", check.rise());
        count(b, "fall", check.fall());
        check.slowStart().ifPresent(d -> pair(b, "slowstart", DurationText.format(d)));
        check.timeout().ifPresent(d -> pair(b, "check_timeout", DurationText.format(d)));
        return b.toString().trim();
    }

    /** The control command that sets {@code check} as the balancer's: {@code check tcp inter 1}, {@code check fall 2}. */
    public static String command(HealthCheck check) {
        String p = pairs(check);
        return check.kind().isPresent() ? p : ("check " + p).trim();
    }

    /**
     * The settings in force, as {@code servers} shows them: the check, then what differs from HAProxy's defaults
     * ({@code fastinter} and the timeout when not {@code inter}).
     */
    public static String resolved(HealthCheck.Resolved r) {
        StringBuilder b = new StringBuilder();
        pair(b, "check", kindText(r.kind(), r.path()));
        if (!r.inter().equals(HealthCheck.DEFAULT_INTER)) {
            pair(b, "inter", DurationText.format(r.inter()));
        }
        if (!r.fastInter().equals(r.inter())) {
            pair(b, "fastinter", DurationText.format(r.fastInter()));
        }
        if (r.rise() != HealthCheck.DEFAULT_RISE) {
            pair(b, "rise", Integer.toString(r.rise()));
        }
        if (r.fall() != HealthCheck.DEFAULT_FALL) {
            pair(b, "fall", Integer.toString(r.fall()));
        }
        if (!r.slowStart().isZero()) {
            pair(b, "slowstart", DurationText.format(r.slowStart()));
        }
        if (!r.timeout().equals(r.inter())) {
            pair(b, "check_timeout", DurationText.format(r.timeout()));
        }
        return b.toString().trim();
    }

    private static void count(StringBuilder b, String keyword, OptionalInt n) {
        if (n.isPresent()) {
            pair(b, keyword, Integer.toString(n.getAsInt()));
        }
    }

    private static void pair(StringBuilder b, String keyword, String value) {
        b.append(' ').append(keyword).append(' ').append(value);
    }
}
