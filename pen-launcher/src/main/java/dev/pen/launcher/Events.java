package dev.pen.launcher;

import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import dev.pen.launcher.log.AddressText;
import dev.pen.launcher.log.Diagnostics;

/**
 * pen's diagnostics for connection events, and the server last chosen (pen's {@code current}, shown on the
 * statistics page). Strings are built only when the level shows them.
 */
final class Events implements ConnectionLog {
    private final Diagnostics diagnostics;
    private volatile int current;

    Events(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The index of the server last chosen. */
    int current() {
        return current;
    }

    @Override
    public void accepted(ConnectionInfo c) {
        if (diagnostics.level() >= 2) {
            diagnostics.debug(2, "accepted connection " + c.id() + " from " + AddressText.of(c.clientAddress()));
        }
    }

    @Override
    public void backendChosen(ConnectionInfo c, int index) {
        current = index;
        if (diagnostics.level() >= 2) {
            diagnostics.debug(2, "connection " + c.id() + ": trying server " + index);
        }
    }

    @Override
    public void connectFailed(ConnectionInfo c, int index, Throwable cause) {
        boolean timeout = cause != null && cause.getClass().getSimpleName().contains("Timeout");
        if (!timeout) {
            diagnostics.debug(0, "Connect failed: " + (cause == null ? "unknown" : cause.getMessage()));
        }
        diagnostics.debug(0, "blacklisting server " + index + " because of connect " + (timeout ? "timeout" : "failure"));
    }

    @Override
    public void refused(ConnectionInfo c, String reason) {
        if (diagnostics.level() >= 1) {
            diagnostics.debug(1, "closing client " + AddressText.of(c.clientAddress()) + ": " + reason);
        }
    }

    @Override
    public void closed(ConnectionInfo c) {
        if (diagnostics.level() >= 2) {
            diagnostics.debug(2, "connection " + c.id() + " closed: " + c.bytesFromClient() + " bytes up, "
                    + c.bytesToClient() + " bytes down");
        }
    }
}
