package dev.pen.launcher.control;

import dev.pen.api.BalancerConfig;

/**
 * What the {@link Interpreter} needs from the program around it: the configuration in force and a way to apply a
 * new one (before start-up the configuration being built, afterwards the running balancer's), the live figures and
 * actions, and what is more than a setting: the log, the statistics page, leaving, and diagnostics.
 */
public interface ControlHost {

    /** The configuration commands start from. */
    BalancerConfig config();

    /**
     * Makes {@code next} the configuration in force (a running balancer's {@code update}) if {@code expected}, the
     * one the command started from, is still in force: a change made meanwhile by anything else is never undone.
     *
     * @throws IllegalArgumentException or IllegalStateException naming why it was refused; nothing changed
     */
    void update(BalancerConfig expected, BalancerConfig next);

    /**
     * Reads the TLS files in use again (pen's {@code ssl_ocsp_response} repeated); nothing to do before start-up.
     *
     * @throws IllegalArgumentException naming the file at fault; the old ones stay in use
     */
    default void reloadTls() {
    }

    /** Live figures and actions: the running balancer's, or those kept for it before start-up. */
    LiveView live();

    /**
     * Starts logging to {@code target} (a file, or host:port of a network collector), or stops with null.
     *
     * @throws IllegalArgumentException naming the problem; the old log stays
     */
    void log(String target);

    /** Writes the statistics page and returns it, or null when there is no -w file (pen's {@code status}). */
    String writeStatus();

    /** Stops the balancer and leaves, cleanly (pen's {@code exit}). */
    void exit();

    /** The process id. */
    long pid();

    /** A diagnostic line (pen's debug()), shown when the debug level is at least {@code level}. */
    void debug(int level, String message);
}
