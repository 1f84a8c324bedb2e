package dev.pen.launcher;

import dev.pen.api.BackendState;
import dev.pen.api.BackendStateChange;
import dev.pen.api.BackendStateListener;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import dev.pen.launcher.log.AddressText;
import dev.pen.launcher.log.Diagnostics;
import java.util.Locale;

/**
 * pen's diagnostics for connection events, and the server last chosen (pen's {@code current}, shown on the
 * statistics page); and a line whenever a server goes down or comes back by its health checks, once per change
 * however many checks fail. Strings are built only when the level shows them.
 */
final class Events implements ConnectionLog, BackendStateListener {
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

    /** Shown at every level, as pen's blacklisting lines are: an operator wants to know when a server went. */
    @Override
    public void stateChanged(BackendStateChange change) {
        if (change.current() == BackendState.DOWN || change.previous() == BackendState.DOWN) {
            diagnostics.debug(0, "server " + change.index() + " "
                    + change.current().name().toLowerCase(Locale.ROOT) + ": " + change.reason());
        }
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
