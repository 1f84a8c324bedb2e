package dev.pen.launcher;

import java.util.function.Consumer;

/**
 * Installs handlers for the signals pen reacts to (HUP, USR1, TERM, INT). The JDK's only way to catch them is the
 * {@code sun.misc.Signal} class of the {@code jdk.unsupported} module, present in every JDK from 9 to 25.
 */
final class Signals {
    private Signals() {
    }

    /**
     * Runs {@code action} whenever signal {@code name} ("HUP", "USR1"...) arrives.
     *
     * @param problems told when the JVM does not let this signal be caught
     */
    @SuppressWarnings("removal")
    static void handle(String name, Runnable action, Consumer<String> problems) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> action.run());
        } catch (IllegalArgumentException e) {
            problems.accept("signal " + name + " cannot be caught in this JVM: " + e.getMessage());
        }
    }

    /**
     * Ends the process on SIGABRT, as C's abort(): the JVM leaves the signal's default action alone, so the kernel
     * ends it (with a core dump where the system keeps them). Should the signal not end it, the JVM halts with the
     * status a shell shows for SIGABRT.
     */
    @SuppressWarnings("removal")
    static void abort() {
        try {
            sun.misc.Signal.raise(new sun.misc.Signal("ABRT"));
        } catch (IllegalArgumentException e) {
            // No such signal here: the status alone, then.
        }
        Runtime.getRuntime().halt(128 + 6);
    }
}
