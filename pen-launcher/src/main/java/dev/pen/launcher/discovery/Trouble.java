package dev.pen.launcher.discovery;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Problems told once: a problem is told when it starts or its text changes, not on every retry, and its end is told
 * once too. Used by one thread only (discovery's).
 */
final class Trouble {
    private final Consumer<String> log;
    private final Map<String, String> open = new HashMap<>();

    /** @param log where a line goes (a diagnostic shown at every debug level) */
    Trouble(Consumer<String> log) {
        this.log = log;
    }

    /** {@code what} has problem {@code text}: told unless it was the last thing told about it. */
    void failed(String what, String text) {
        if (!text.equals(open.put(what, text))) {
            log.accept("discovery: " + text);
        }
    }

    /** {@code what} is fine again: {@code text} is told if a problem was open. */
    void cleared(String what, String text) {
        if (open.remove(what) != null) {
            log.accept("discovery: " + text);
        }
    }
}
