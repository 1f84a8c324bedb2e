package dev.pen.logtools.mergelogs;

import dev.pen.api.PenLogLine;
import dev.pen.logtools.lines.LineReader;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * pen's log read once, alongside the web logs: only the entries within the jitter window around the current web
 * line are kept, so memory follows the window, not the size of the log.
 *
 * <p>The window rule is pen's: before each search the oldest entries older than {@code t - jitter} are dropped
 * (from the front only, as the log is in time order), then entries are read until one newer than
 * {@code t + jitter} has been read, and the best match is chosen among all kept entries. One refinement keeps
 * memory bounded when pen's log starts long before the web logs: an entry read while nothing is kept and already
 * older than {@code t - jitter} takes part in this search but is not kept (pen keeps it until the next line).
 */
final class PenLogCache implements ClientFinder {

    /** A kept entry; {@code time} already has {@code -t} applied. */
    private record Entry(String client, long time, Key key) {
    }

    private record Key(String server, String request) {
    }

    private final LineReader pen;
    private final long jitter;
    private final long timeOffset;
    private final ArrayDeque<Entry> window = new ArrayDeque<>();
    private final Map<Key, ArrayDeque<Entry>> byKey = new HashMap<>();
    private boolean penAtEnd;
    private long rejected;
    private long peakSize;

    /**
     * @param timeOffset pen's {@code -t}: seconds subtracted from every pen log time
     */
    PenLogCache(LineReader pen, long jitter, long timeOffset) {
        this.pen = pen;
        this.jitter = jitter;
        this.timeOffset = timeOffset;
    }

    @Override
    public String bestClient(String server, long t, String request) throws IOException {
        while (!window.isEmpty() && window.peekFirst().time < t - jitter) {
            Entry old = window.pollFirst();
            ArrayDeque<Entry> same = byKey.get(old.key);
            same.pollFirst();
            if (same.isEmpty()) {
                byKey.remove(old.key);
            }
        }
        Key wanted = new Key(server, request);
        Entry best = null;
        long bestDistance = Long.MAX_VALUE;
        ArrayDeque<Entry> candidates = byKey.get(wanted);
        if (candidates != null) {
            for (Entry e : candidates) {
                long distance = Math.abs(t - e.time);
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = e;
                }
            }
        }
        while (!penAtEnd && (window.isEmpty() || window.peekLast().time <= t + jitter)) {
            String line = pen.readLine();
            if (line == null) {
                penAtEnd = true;
                break;
            }
            PenLogLine parsed = PenLogParser.parse(line);
            if (parsed == null) {
                rejected++;
                continue;
            }
            if (parsed == PenLogParser.EMPTY_REQUEST) {
                continue;
            }
            Entry e = new Entry(parsed.client(), parsed.time() - timeOffset, new Key(parsed.server(), parsed.text()));
            if (e.key.equals(wanted)) {
                long distance = Math.abs(t - e.time);
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = e;
                }
            }
            if (window.isEmpty() && jitter >= 0 && e.time < t - jitter) {
                continue;
            }
            window.addLast(e);
            byKey.computeIfAbsent(e.key, k -> new ArrayDeque<>(2)).addLast(e);
        }
        peakSize = Math.max(peakSize, window.size());
        return best == null ? server : best.client;
    }

    @Override
    public long rejectedLines() {
        return rejected;
    }

    /** The most entries kept at once. */
    long peakSize() {
        return peakSize;
    }

    @Override
    public void close() throws IOException {
        pen.close();
    }
}
