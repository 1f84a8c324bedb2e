package dev.pen.logtools.mergelogs;

import dev.pen.api.PenLogLine;

/**
 * Reads pen's log lines the way pen's mergelogs does ({@code %s %ld %s %[^\n]}): any run of white space
 * separates the fields and the request starts at the first non-space after the server. A line whose request is
 * empty is valid pen output (a read that started with a newline) but can never match a web log request.
 */
final class PenLogParser {

    /** What {@link #parse} returns for a pen log line that is valid but has an empty request. */
    static final PenLogLine EMPTY_REQUEST = new PenLogLine("-", 0, "-", "");

    private PenLogParser() {
    }

    /** The entry on {@code line}, {@link #EMPTY_REQUEST}, or null when the line is not a pen log line. */
    static PenLogLine parse(String line) {
        int n = line.length();
        int i = skipSpace(line, 0);
        int clientStart = i;
        i = skipWord(line, i);
        if (i == clientStart) {
            return null;
        }
        String client = line.substring(clientStart, i);
        i = skipSpace(line, i);
        int timeStart = i;
        if (i < n && (line.charAt(i) == '-' || line.charAt(i) == '+')) {
            i++;
        }
        int digitsStart = i;
        while (i < n && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i++;
        }
        if (i == digitsStart || i - digitsStart > 18) {
            return null;
        }
        long time = Long.parseLong(line.substring(line.charAt(timeStart) == '+' ? timeStart + 1 : timeStart, i));
        i = skipSpace(line, i);
        int serverStart = i;
        i = skipWord(line, i);
        if (i == serverStart) {
            return null;
        }
        String server = line.substring(serverStart, i);
        i = skipSpace(line, i);
        if (i == n) {
            return EMPTY_REQUEST;
        }
        return new PenLogLine(client, time, server, line.substring(i));
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && WebTime.isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipWord(String s, int i) {
        while (i < s.length() && !WebTime.isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
