package dev.pen.netty.internal.transport;

import io.netty.channel.unix.Errors;
import java.util.Locale;

/**
 * Tells a failure of this machine from a failure of the peer: a socket that could not be made or bound because
 * the process or the system is out of descriptors, ephemeral ports or buffer memory says nothing about the server
 * it was meant for, so it must not blacklist that server nor fail over to the next (which would fail the same
 * way). The one place where such errors are recognised, for every transport: the native ones report an errno
 * ({@link Errors.NativeIoException#expectedErr()}), NIO the system's message.
 */
public final class LocalErrors {
    private static final int ENOMEM = 12;
    private static final int ENFILE = 23;
    private static final int EMFILE = 24;
    private static final int EADDRNOTAVAIL = 99;
    private static final int ENOBUFS = 105;
    /** The system's words for the same errors (strerror), as NIO's exceptions carry them. */
    private static final String[] MESSAGES = {
        "too many open files", "cannot assign requested address", "no buffer space available",
        "cannot allocate memory"};
    /** How deep a chain of causes is searched; a chain is short, a cycle must not loop. */
    private static final int MAX_DEPTH = 8;

    private LocalErrors() {
    }

    /** True when {@code failure}, or one of its causes, is this machine running out of a resource. */
    public static boolean isLocal(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (nativeLocal(t) || messageLocal(t.getMessage())) {
                return true;
            }
        }
        return false;
    }

    private static boolean nativeLocal(Throwable t) {
        try {
            if (t instanceof Errors.NativeIoException n) {
                int errno = Math.abs(n.expectedErr());
                return errno == EMFILE || errno == ENFILE || errno == EADDRNOTAVAIL || errno == ENOBUFS
                        || errno == ENOMEM;
            }
        } catch (LinkageError e) {
            // Netty's unix classes are not there: only NIO runs, and its messages are checked instead.
        }
        return false;
    }

    private static boolean messageLocal(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        for (String local : MESSAGES) {
            if (m.contains(local)) {
                return true;
            }
        }
        return false;
    }
}
