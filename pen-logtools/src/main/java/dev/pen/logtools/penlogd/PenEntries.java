package dev.pen.logtools.penlogd;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The last N entries pen sent ({@code + client server request}), newest searched first. An entry is not used
 * up by a match: one pen read can be the source of several web log lines. Not thread-safe.
 */
final class PenEntries {

    /** Requests are compared on this many characters at most when either is longer, as pen compares them. */
    static final int COMPARED = 99;

    record Entry(String client, InetAddress server, String request) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries;

    PenEntries(int capacity) {
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(Math.min(capacity, 1 << 16));
    }

    void add(Entry e) {
        if (entries.size() == capacity) {
            entries.pollFirst();
        }
        entries.addLast(e);
    }

    /** The newest entry for a request to {@code server}, or null. */
    Entry find(InetAddress server, String request) {
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.server.equals(server) && sameRequest(e.request, request)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Equal requests, or, when one is longer than pen keeps, equal in their first {@value #COMPARED} characters
     * (pen's penlogd never matches such requests; its network log does send them whole).
     */
    static boolean sameRequest(String pen, String web) {
        if (pen.equals(web)) {
            return true;
        }
        return (pen.length() > COMPARED || web.length() > COMPARED) && pen.length() >= COMPARED
            && web.length() >= COMPARED && pen.regionMatches(0, web, 0, COMPARED);
    }
}
