package dev.pen.launcher.cli;

import java.time.Duration;

/**
 * The one grammar of the duration settings that pen does not have ({@code --first-byte-timeout},
 * {@code handshake_timeout}...): a number of seconds, or a number followed by {@code ms} or {@code s}; and the
 * text that reads back to the same value.
 */
public final class DurationText {
    /** What a bad value is told to be instead. */
    public static final String EXPECTED = "seconds, or a number with ms or s";

    private DurationText() {
    }

    /**
     * {@code text} as a duration of 0 or more.
     *
     * @throws IllegalArgumentException naming the value and {@link #EXPECTED}
     */
    public static Duration parse(String text) {
        String t = text.trim();
        boolean millis = t.endsWith("ms");
        String number = millis ? t.substring(0, t.length() - 2) : t.endsWith("s") ? t.substring(0, t.length() - 1) : t;
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || number.startsWith("+") || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("unexpected value '" + text + "' (expected " + EXPECTED + ")");
        }
        return millis ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }

    /** Whole seconds as a plain number, anything else in milliseconds: {@code 60}, {@code 1500ms}. */
    public static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : d.toMillis() + "ms";
    }
}
