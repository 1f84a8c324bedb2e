package dev.pen.logtools.mergelogs;

/**
 * Web server log times, {@code DD/Mon/YYYY:HH:MM:SS ±HHMM}, to and from seconds since 1970. The zone offset in
 * the text is applied here, so the result never depends on the time zone of the machine (pen's mergelogs reads
 * the fields as local time and can slip by an hour; this does not).
 */
final class WebTime {

    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };

    /** What {@link #parse} returns for text that is not a web log time. */
    static final long INVALID = Long.MIN_VALUE;
    /** 0000-01-01T00:00:00Z, the earliest time read. */
    private static final long FIRST_DAY_OF_YEAR_0 = -62167219200L;
    /** 1000000-01-01T00:00:00Z, the first time past the last year a log line's four to six digits can give. */
    private static final long FIRST_DAY_OF_YEAR_1000000 = daysFromCivil(1_000_000, 1, 1) * 86400;

    private WebTime() {
    }

    /**
     * Seconds since 1970 for {@code text}, or {@link #INVALID}. Fields past their range carry over as
     * {@code mktime} does (32/Jan is 1/Feb); a missing zone counts as {@code +0000}.
     */
    static long parse(String text) {
        int[] at = {0};
        long day = number(text, at, '/');
        if (day == INVALID) {
            return INVALID;
        }
        int slash = text.indexOf('/', at[0]);
        if (slash < 0) {
            return INVALID;
        }
        int month = month(text.substring(at[0], slash));
        if (month < 0) {
            return INVALID;
        }
        at[0] = slash + 1;
        long year = number(text, at, ':');
        long hour = year == INVALID ? INVALID : number(text, at, ':');
        long minute = hour == INVALID ? INVALID : number(text, at, ':');
        if (minute == INVALID) {
            return INVALID;
        }
        int secondStart = at[0];
        int secondEnd = secondStart;
        while (secondEnd < text.length() && !isSpace(text.charAt(secondEnd))) {
            secondEnd++;
        }
        long second = digits(text, secondStart, secondEnd);
        if (second == INVALID || year > 999_999) {
            return INVALID;
        }
        int zoneStart = secondEnd;
        while (zoneStart < text.length() && isSpace(text.charAt(zoneStart))) {
            zoneStart++;
        }
        long offset = 0;
        if (zoneStart < text.length()) {
            String zone = text.substring(zoneStart);
            if (zone.length() != 5 || (zone.charAt(0) != '+' && zone.charAt(0) != '-')) {
                return INVALID;
            }
            long hh = digits(zone, 1, 3);
            long mm = digits(zone, 3, 5);
            if (hh == INVALID || mm == INVALID) {
                return INVALID;
            }
            offset = (hh * 3600 + mm * 60) * (zone.charAt(0) == '+' ? 1 : -1);
        }
        long days = daysFromCivil(year, month + 1, 1) + day - 1;
        long epochSecond = days * 86400 + hour * 3600 + minute * 60 + second - offset;
        // Fields carried back before year 0 (day 0 of January 0000), or carried on past year 999999 (a day of
        // 400000000), would print as a year that this reader refuses.
        return epochSecond < FIRST_DAY_OF_YEAR_0 || epochSecond >= FIRST_DAY_OF_YEAR_1000000 ? INVALID : epochSecond;
    }

    /** {@code DD/Mon/YYYY:HH:MM:SS +0000} in UTC, as pen's mergelogs prints it with {@code TZ=UTC}. */
    static String format(long epochSecond) {
        long days = Math.floorDiv(epochSecond, 86400);
        long secondOfDay = Math.floorMod(epochSecond, 86400);
        // Civil date from days since 1970 (Howard Hinnant's algorithm).
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long dayOfEra = z - era * 146097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(26);
        two(b, day).append('/').append(MONTHS[(int) month - 1]).append('/');
        if (year >= 0 && year < 1000) {
            b.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        b.append(year).append(':');
        two(b, secondOfDay / 3600).append(':');
        two(b, secondOfDay / 60 % 60).append(':');
        two(b, secondOfDay % 60).append(" +0000");
        return b.toString();
    }

    private static StringBuilder two(StringBuilder b, long n) {
        if (n < 10) {
            b.append('0');
        }
        return b.append(n);
    }

    static long daysFromCivil(long year, long month, long day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    private static int month(String name) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The digits from at[0] up to {@code end}; at[0] moves past the separator. */
    private static long number(String text, int[] at, char end) {
        int stop = text.indexOf(end, at[0]);
        if (stop < 0) {
            return INVALID;
        }
        long n = digits(text, at[0], stop);
        at[0] = stop + 1;
        return n;
    }

    private static long digits(String text, int from, int to) {
        if (from >= to || to - from > 9) {
            return INVALID;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return INVALID;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** C's {@code isspace} in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
