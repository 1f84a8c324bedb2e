package dev.pen.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One line of pen's log file: {@code client_ip unix_time server_ip text}, where text is the first line of a
 * client read, at most 100 bytes, with bytes of 0x80 and above shown as {@code .}.
 */
public record PenLogLine(String client, long time, String server, String text) {

    public PenLogLine {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(text, "text");
    }

    /** The text pen logs for {@code firstLine}: at most 100 bytes, bytes of 0x80 and above as {@code .}. */
    public static String text(byte[] firstLine) {
        int n = Math.min(firstLine.length, ConnectionLog.MAX_TEXT);
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            int b = firstLine[i] & 0xFF;
            chars[i] = b >= 0x80 ? '.' : (char) b;
        }
        return new String(chars);
    }

    /** The line without its newline. */
    public String format() {
        return client + " " + time + " " + server + " " + text;
    }

    /** The line's bytes with its newline; text characters are single bytes. */
    public byte[] toBytes() {
        return (format() + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Parses a line as pen's readers do ({@code %s %ld %s %[^\n]}): three fields and the rest.
     *
     * @throws IllegalArgumentException when the line has fewer fields or the time is not a number
     */
    public static PenLogLine parse(String line) {
        String s = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        int a = s.indexOf(' ');
        int b = a < 0 ? -1 : s.indexOf(' ', a + 1);
        int c = b < 0 ? -1 : s.indexOf(' ', b + 1);
        if (a <= 0 || b <= a + 1) {
            throw new IllegalArgumentException("bad pen log line '" + s + "' (expected client time server text)");
        }
        String server = c < 0 ? s.substring(b + 1) : s.substring(b + 1, c);
        String text = c < 0 ? "" : s.substring(c + 1);
        long time;
        try {
            time = Long.parseLong(s.substring(a + 1, b));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad time in pen log line '" + s + "' (expected seconds since 1970)");
        }
        if (server.isEmpty()) {
            throw new IllegalArgumentException("bad pen log line '" + s + "' (expected client time server text)");
        }
        return new PenLogLine(s.substring(0, a), time, server, text);
    }

    @Override
    public String toString() {
        return format();
    }
}
