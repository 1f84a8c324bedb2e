package dev.pen.api;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A running balancer. Obtain one with {@link #start(BalancerConfig)}, which finds the implementation on the class
 * path (pen-netty), or directly from pen-netty's {@code NettyBalancer.start}. Its meters go to the registry given
 * with {@link BalancerConfig.Builder#meterRegistry}, if any.
 *
 * <p>Every method is thread-safe and may be called while traffic flows. Backends keep their index (pen's
 * {@code server N}): removing one leaves its slot empty and no other index changes; adding fills the first empty
 * slot.
 */
public interface Balancer extends AutoCloseable {

    /**
     * Starts a balancer with the implementation found by {@link ServiceLoader}.
     *
     * @throws IllegalArgumentException for a bad or unresolvable setting, naming it
     * @throws IllegalStateException when the listener cannot be opened (address in use, say) or no implementation
     *     is on the class path
     */
    static Balancer start(BalancerConfig config) {
        for (BalancerProvider provider : ServiceLoader.load(BalancerProvider.class)) {
            return provider.start(config);
        }
        throw new IllegalStateException("no balancer implementation on the class path (expected pen-netty)");
    }

    /** The address the listener is bound to (with the real port when the config asked for port 0). */
    SocketAddress localAddress();

    // ---- configuration --------------------------------------------------------------------------------------

    /** The configuration in force now: everything the balancer does follows from it. */
    BalancerConfig config();

    /**
     * Applies a whole new configuration, as if the balancer had been started with it, without a restart:
     * backends matched by index keep their figures and open connections when their address is unchanged; open
     * connections to a removed or replaced backend carry on until they end; a new listen address is bound before
     * the old one is closed (where the two overlap, the old one is closed first and bound again if the new one
     * cannot be); a changed TLS certificate, mode or limit applies to connections accepted from then on.
     *
     * <p>A configuration that cannot be applied (a host that does not resolve, a TLS file that cannot be read,
     * a listen address that cannot be bound, a change of transport, event loops, UDP or connection logs, which
     * need a new balancer) is refused whole and the running one stays as it was. Updates are applied one at a
     * time.
     *
     * @return the configuration now in force
     * @throws IllegalArgumentException for a setting that cannot be applied, naming it and what was expected
     * @throws IllegalStateException when the new listen address cannot be bound, naming it and the cause
     */
    BalancerConfig update(BalancerConfig next);

    /**
     * Applies {@code change} to the configuration in force and the result as {@link #update(BalancerConfig)}
     * does, atomically: no other update comes between reading the configuration and applying the result.
     */
    BalancerConfig update(UnaryOperator<BalancerConfig> change);

    /**
     * Puts {@code backend} in the first empty slot, or a new one at the end, and returns its index.
     *
     * @throws IllegalArgumentException when its host cannot be resolved
     */
    default int addBackend(Backend backend) {
        int[] index = new int[1];
        update(c -> {
            index[0] = c.firstFreeSlot();
            return c.toBuilder().backend(index[0], backend).build();
        });
        return index[0];
    }

    /**
     * Puts {@code backend} in slot {@code index}, extending the table with empty slots if needed (pen's
     * {@code server N address ...}). Connections already open to the old backend carry on; its figures are kept
     * when its address is unchanged.
     */
    default void setBackend(int index, Backend backend) {
        update(c -> c.toBuilder().backend(index, java.util.Objects.requireNonNull(backend, "backend")).build());
    }

    /** Empties slot {@code index}; open connections to it carry on until they end. */
    default void removeBackend(int index) {
        update(c -> c.toBuilder().backend(index, null).build());
    }

    // ---- live actions and figures ---------------------------------------------------------------------------

    /** The occupied backend slots in index order. */
    List<BackendStats> backends();

    /** Backend slot {@code index}, or empty when that slot is empty or beyond the table. */
    Optional<BackendStats> backend(int index);

    /** Statistics of the emergency server, when one is configured. */
    Optional<BackendStats> emergency();

    /** Statistics of the abuse server, when one is configured. */
    Optional<BackendStats> abuse();

    /**
     * Drains backend {@code index} ({@code on}) or ends its draining: while draining it takes no new clients,
     * returning ones included, and its tracked clients choose again; open connections carry on.
     *
     * @throws IllegalArgumentException when the slot is empty
     */
    void drainBackend(int index, boolean on);

    /** Blacklists backend {@code index} for {@code duration} from now; {@link Duration#ZERO} lifts it. */
    void blacklistBackend(int index, Duration duration);

    /** The tracked clients, in table order (pen's {@code recent} and status page). */
    List<ClientStats> clients();

    /** The connections open now; in UDP mode, the sessions open now. */
    List<ConnectionInfo> connections();

    /** Closes connection {@code id} (see {@link ConnectionInfo#id()}); false when no such connection is open. */
    boolean closeConnection(long id);

    /** Connections open now, also those still connecting to a backend; in UDP mode, the sessions open now. */
    int activeConnections();

    /**
     * The idle server connections open now (pen's {@code idlers}, the first figure of its reply); at most
     * {@link BalancerConfig#idleConnections()} once the balancer has caught up with a change.
     */
    int idleConnections();

    /**
     * Client connections closed because of a PROXY header since the start: one from outside
     * {@link ProxySettings#acceptFrom()}, a malformed one, or none (or not all of one in time) from inside it.
     * An implementation that reads no PROXY header answers 0.
     */
    default long proxyHeadersRefused() {
        return 0;
    }

    /**
     * Reads the certificate, key and CA files of the configuration's TLS settings again (on pen's HUP), so that a
     * renewed certificate needs no restart. Client connections accepted after the call use the new files; open
     * ones carry on with the old. When a file is missing or bad, the old certificate stays in use and nothing
     * changes. Does nothing without TLS. Thread-safe; reads files on the calling thread, never on an event loop.
     *
     * @throws IllegalArgumentException when a file cannot be read or does not hold what it should, naming it
     */
    void reloadTls();

    /**
     * Stops accepting at once, lets the connections open now finish for up to {@code grace}, then closes what is
     * left as {@link #close()} does. The listener is closed first, so that a client connecting afterwards is
     * refused, or taken by another balancer bound to the same port with {@link BalancerConfig#reusePort()}. A
     * {@link #close()} while the grace runs closes at once. Configuration updates that would bind a listener
     * again are refused from the call on. In UDP mode the listener carries every session, so sessions end at
     * once. Idempotent: a later call returns the same future.
     *
     * @param grace how long open connections may take to finish, {@link Duration#ZERO} to close at once
     * @return completes once the balancer is closed, whether its connections finished or were closed
     * @throws IllegalArgumentException when {@code grace} is negative
     */
    CompletableFuture<Void> closeGracefully(Duration grace);

    /**
     * Stops accepting, then closes every connection once what was already relayed has been written (waiting up
     * to two seconds), and releases the threads. Idempotent; during {@link #closeGracefully(Duration)} it ends
     * the grace at once.
     */
    @Override
    void close();
}
