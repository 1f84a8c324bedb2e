package dev.pen.launcher;

/** A start error: its message is the whole line for stderr; some are followed by the usage text. */
final class StartException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean usage;

    StartException(String message, boolean usage) {
        super(message, null, false, false);
        this.usage = usage;
    }

    StartException(String message) {
        this(message, false);
    }

    boolean usage() {
        return usage;
    }
}
