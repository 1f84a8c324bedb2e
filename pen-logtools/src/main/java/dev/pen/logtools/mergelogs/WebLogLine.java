package dev.pen.logtools.mergelogs;

/**
 * A Common or Combined Log Format line cut into the parts mergelogs rebuilds it from:
 * {@code client b1[time]b2"request"b3}. The cut follows pen's reading of these lines, so a line pen would drop
 * is dropped here too: every part must be present and all but the client's separator non-empty.
 *
 * @param epochSecond the time in seconds since 1970, zone offset applied
 */
record WebLogLine(String client, String b1, String time, String b2, String request, String b3, long epochSecond) {

    /** The parts of {@code line} (without its newline), or null when it is not such a line. */
    static WebLogLine parse(String line) {
        int space = line.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        int b1Start = space;
        while (b1Start < line.length() && WebTime.isSpace(line.charAt(b1Start))) {
            b1Start++;
        }
        int open = line.indexOf('[', b1Start);
        if (open <= b1Start) {
            return null;
        }
        int close = line.indexOf(']', open + 1);
        if (close <= open + 1) {
            return null;
        }
        int quote = line.indexOf('"', close + 1);
        if (quote <= close + 1) {
            return null;
        }
        int endQuote = line.indexOf('"', quote + 1);
        if (endQuote <= quote + 1 || endQuote + 1 >= line.length()) {
            return null;
        }
        String time = line.substring(open + 1, close);
        long epochSecond = WebTime.parse(time);
        if (epochSecond == WebTime.INVALID) {
            return null;
        }
        return new WebLogLine(line.substring(0, space), line.substring(b1Start, open), time,
            line.substring(close + 1, quote), line.substring(quote + 1, endQuote), line.substring(endQuote + 1),
            epochSecond);
    }

    /** The line with {@code client} in front and the time re-rendered in UTC, as mergelogs prints it. */
    String format(String newClient) {
        return newClient + ' ' + b1 + '[' + WebTime.format(epochSecond) + ']' + b2 + '"' + request + '"' + b3;
    }
}
