package dev.pen.launcher.control;

import dev.pen.api.Balancer;

/**
 * What the {@link Interpreter} needs from the program around it: the balancer to act on (before start-up an
 * {@link OfflineBalancer}, afterwards the running one) and the actions that are more than a setting: reopening the
 * listener or the log, the statistics page, the configuration's command line, leaving, and diagnostics.
 */
public interface ControlHost {

    /** The balancer commands act on now. */
    Balancer balancer();

    /**
     * Moves the listener to {@code address} (pen's {@code listen ADDR}); before start-up only records it.
     *
     * @throws IllegalArgumentException or IllegalStateException naming the problem; the old listener stays
     */
    void listen(String address);

    /**
     * Starts logging to {@code target} (a file, or host:port of a network collector), or stops with null.
     *
     * @throws IllegalArgumentException naming the problem; the old log stays
     */
    void log(String target);

    /** Writes the statistics page and returns it, or null when there is no -w file (pen's {@code status}). */
    String writeStatus();

    /** pen's command line for the {@code # pen} line of {@code write}, without -F, -C and the listen address. */
    String commandLineFlags();

    /** Whether {@code exit} is allowed (-X). */
    boolean exitEnabled();

    /** Stops the balancer and leaves, cleanly (pen's {@code exit}). */
    void exit();

    /** The process id. */
    long pid();

    /** A diagnostic line (pen's debug()), shown when the debug level is at least {@code level}. */
    void debug(int level, String message);
}
