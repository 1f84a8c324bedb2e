package dev.pen.api;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A running balancer. Obtain one with {@link #start(BalancerConfig)}, which finds the implementation on the class
 * path (pen-netty), or directly from pen-netty's {@code NettyBalancer.start}, which also takes a metrics registry.
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

    /** The occupied backend slots in index order. */
    List<BackendStats> backends();

    /** Backend slot {@code index}, or empty when that slot is empty or beyond the table. */
    Optional<BackendStats> backend(int index);

    /** The number of backend slots, empty ones included (pen's server count). */
    int backendSlots();

    /** Statistics of the emergency server, when one is configured. */
    Optional<BackendStats> emergency();

    /** Statistics of the abuse server, when one is configured. */
    Optional<BackendStats> abuse();

    /**
     * Puts {@code backend} in the first empty slot, or a new one at the end, and returns its index.
     *
     * @throws IllegalArgumentException when its host cannot be resolved
     */
    int addBackend(Backend backend);

    /**
     * Puts {@code backend} in slot {@code index}, extending the table with empty slots if needed (pen's
     * {@code server N address ...}). Connections already open to the old backend carry on; its figures are kept
     * when only limits, weight, priority or ACL change.
     */
    void setBackend(int index, Backend backend);

    /** Empties slot {@code index}; open connections to it carry on until they end. */
    void removeBackend(int index);

    /** Stops sending new clients (returning ones included) to backend {@code index}; open connections carry on. */
    void drainBackend(int index);

    /** Blacklists backend {@code index} for {@code duration} from now; {@link Duration#ZERO} lifts it. */
    void blacklistBackend(int index, Duration duration);

    Modes modes();

    void setModes(Modes modes);

    Limits limits();

    void setLimits(Limits limits);

    Strategy strategy();

    /** Replaces the strategy; the new picker starts from its initial state. */
    void setStrategy(Strategy strategy);

    /** Access list {@code number} (0 to 9). */
    AccessList accessList(int number);

    void setAccessList(int number, AccessList list);

    int clientAcl();

    void setClientAcl(int number);

    /** The tracked clients, in table order (pen's {@code recent} and status page). */
    List<ClientStats> clients();

    /** The connections open now; in UDP mode, the sessions open now. */
    List<ConnectionInfo> connections();

    /** Closes connection {@code id} (see {@link ConnectionInfo#id()}); false when no such connection is open. */
    boolean closeConnection(long id);

    /** Connections open now, also those still connecting to a backend; in UDP mode, the sessions open now. */
    int activeConnections();

    /**
     * Whether http mode (pen's -H) applies to connections accepted from now on. Always false in UDP mode.
     * Thread-safe.
     */
    default boolean httpMode() {
        return false;
    }

    /**
     * Turns http mode on or off (pen's {@code http} / {@code no http}). The change applies to client connections
     * accepted after the call; open connections keep the mode they started with, so a connection is never
     * rewritten from the middle of a request. No effect in UDP mode. Thread-safe, returns at once.
     *
     * @throws UnsupportedOperationException when this balancer has no http mode
     */
    default void setHttpMode(boolean on) {
        throw new UnsupportedOperationException("http mode is not supported by " + getClass().getSimpleName());
    }

    /** The TLS settings in use, or empty when the listener speaks plain TCP or UDP. Thread-safe. */
    default Optional<TlsSettings> tls() {
        return Optional.empty();
    }

    /**
     * Reads the certificate, key and CA files of {@link #tls()} again (on pen's HUP), so that a renewed
     * certificate needs no restart. Client connections accepted after the call use the new files; open ones
     * carry on with the old. When a file is missing or bad, the old certificate stays in use and nothing changes.
     * Does nothing without TLS. Thread-safe; reads files on the calling thread, never on an event loop.
     *
     * @throws IllegalArgumentException when a file cannot be read or does not hold what it should, naming it
     */
    default void reloadTls() {
    }

    /** Whether this balancer relays UDP datagrams (pen's -U). Thread-safe. */
    default boolean udp() {
        return false;
    }

    /**
     * The UDP session idle timeout now; {@link Duration#ZERO} means sessions never end. Thread-safe.
     */
    default Duration udpIdleTimeout() {
        return BalancerConfig.DEFAULT_UDP_IDLE_TIMEOUT;
    }

    /**
     * Sets the UDP session idle timeout (see {@link BalancerConfig#udpIdleTimeout()}). Open sessions are judged
     * by the new value from the next check on, which comes within a second or a quarter of the timeout. Kept but
     * without effect in TCP mode. Thread-safe, returns at once.
     *
     * @throws IllegalArgumentException when negative
     * @throws UnsupportedOperationException when this balancer has no UDP mode
     */
    default void setUdpIdleTimeout(Duration timeout) {
        throw new UnsupportedOperationException("UDP is not supported by " + getClass().getSimpleName());
    }

    /**
     * Stops accepting, then closes every connection once what was already relayed has been written (waiting up
     * to two seconds), and releases the threads. Idempotent.
     */
    @Override
    void close();
}
