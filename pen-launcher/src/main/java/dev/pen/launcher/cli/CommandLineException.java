package dev.pen.launcher.cli;

/**
 * A command line pen cannot run with: the one-line message for stderr, the exit status, and whether the usage
 * text follows it (on stdout, as pen prints it).
 */
public final class CommandLineException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean showUsage;

    public CommandLineException(String message, int status, boolean showUsage) {
        super(message, null, false, false);
        this.status = status;
        this.showUsage = showUsage;
    }

    /** A bad value: the message, exit status 1, no usage text. */
    public static CommandLineException badValue(String message) {
        return new CommandLineException(message, 1, false);
    }

    /** A bad option: the message, then the usage text, exit status 1. */
    public static CommandLineException badOption(String message) {
        return new CommandLineException(message, 1, true);
    }

    public int status() {
        return status;
    }

    public boolean showUsage() {
        return showUsage;
    }
}
