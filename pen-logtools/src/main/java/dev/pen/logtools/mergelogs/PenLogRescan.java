package dev.pen.logtools.mergelogs;

import dev.pen.api.PenLogLine;
import dev.pen.logtools.lines.LineReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * mergelogs {@code -c}: pen's whole log is read again for every web line, with no jitter window. Slow on big
 * logs, as pen's manual warns, but memory stays constant.
 */
final class PenLogRescan implements ClientFinder {

    private final Path penLog;
    private final long timeOffset;
    private long rejected = -1;

    PenLogRescan(Path penLog, long timeOffset) {
        this.penLog = penLog;
        this.timeOffset = timeOffset;
    }

    @Override
    public String bestClient(String server, long t, String request) throws IOException {
        String best = server;
        long bestDistance = Long.MAX_VALUE;
        long bad = 0;
        try (LineReader in = new LineReader(Files.newInputStream(penLog))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                PenLogLine e = PenLogParser.parse(line);
                if (e == null) {
                    bad++;
                    continue;
                }
                if (!e.server().equals(server) || !e.text().equals(request)) {
                    continue;
                }
                long distance = Math.abs(t - (e.time() - timeOffset));
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = e.client();
                }
            }
        }
        if (rejected < 0) {
            rejected = bad;
        }
        return best;
    }

    @Override
    public long rejectedLines() {
        return Math.max(rejected, 0);
    }

    @Override
    public void close() {
    }
}
