package dev.pen.launcher.control;

import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.ClientStats;
import dev.pen.api.ConnectionInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What commands read and do beside the configuration: live figures and live actions. A running balancer is one
 * ({@link #of(Balancer)}); before start-up, {@link PendingActions} keeps blacklist and drain requests for later.
 */
public interface LiveView {

    /** The occupied backend slots with their figures, in index order. */
    List<BackendStats> backends();

    /** Slot {@code index} with its figures, or empty. */
    Optional<BackendStats> backend(int index);

    /** The tracked clients, in table order. */
    List<ClientStats> clients();

    /** The connections open now. */
    List<ConnectionInfo> connections();

    /** Closes connection {@code id}; false when no such connection is open. */
    boolean closeConnection(long id);

    /** Blacklists backend {@code index} for {@code duration}; zero lifts it. */
    void blacklistBackend(int index, Duration duration);

    /** Drains backend {@code index} ({@code on}) or ends its draining. */
    void drainBackend(int index, boolean on);

    /** The idle server connections open now (pen's {@code idlers}); none before start-up. */
    default int idleConnections() {
        return 0;
    }

    /** Client connections closed because of a PROXY header ({@link Balancer#proxyHeadersRefused()}). */
    default long proxyHeadersRefused() {
        return 0;
    }

    /**
     * Whether actions wait for start-up, when a slot still empty may yet be filled (by a positional server), so
     * that blacklisting or draining it is kept rather than refused.
     */
    default boolean beforeStart() {
        return false;
    }

    /** A running balancer's figures and actions. */
    static LiveView of(Balancer b) {
        return new LiveView() {
            @Override
            public List<BackendStats> backends() {
                return b.backends();
            }

            @Override
            public Optional<BackendStats> backend(int index) {
                return b.backend(index);
            }

            @Override
            public List<ClientStats> clients() {
                return b.clients();
            }

            @Override
            public List<ConnectionInfo> connections() {
                return b.connections();
            }

            @Override
            public boolean closeConnection(long id) {
                return b.closeConnection(id);
            }

            @Override
            public void blacklistBackend(int index, Duration duration) {
                b.blacklistBackend(index, duration);
            }

            @Override
            public void drainBackend(int index, boolean on) {
                b.drainBackend(index, on);
            }

            @Override
            public int idleConnections() {
                return b.idleConnections();
            }

            @Override
            public long proxyHeadersRefused() {
                return b.proxyHeadersRefused();
            }
        };
    }

    /** Figures of a backend that has carried nothing yet. */
    static BackendStats idle(int index, Backend backend, long blacklistedUntilMillis, BackendState state) {
        return new BackendStats(index, backend, null, 0, 0, 0, 0, 0, 0, blacklistedUntilMillis, state);
    }
}
