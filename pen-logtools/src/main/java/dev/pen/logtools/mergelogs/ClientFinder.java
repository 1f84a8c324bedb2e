package dev.pen.logtools.mergelogs;

import java.io.IOException;

/** Finds the real client of a web log line in pen's log. */
interface ClientFinder extends AutoCloseable {

    /**
     * The client of the pen log entry for {@code server} with exactly {@code request} whose time is nearest to
     * {@code epochSecond} (the earliest such entry on a tie), or {@code server} itself when there is none.
     */
    String bestClient(String server, long epochSecond, String request) throws IOException;

    /** Pen log lines that were not pen log lines at all. */
    long rejectedLines();

    @Override
    void close() throws IOException;
}
