package dev.pen.launcher.control;

/** A bad argument to a command: its message is the whole reply line. */
final class BadArgument extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadArgument(String message) {
        super(message, null);
    }
}
