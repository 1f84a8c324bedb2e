package dev.pen.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to start a {@link Balancer}: where to listen, the backends in index order, the strategy and
 * mode flags, limits, optional emergency and abuse servers, pen's ten access lists and which one guards clients,
 * connection log listeners, the transport, and the protocol modes: http ({@code -H}), TLS termination
 * ({@code -E ...}) and UDP ({@code -U}). Immutable; build one with {@link #builder()}, change a copy with
 * {@link #toBuilder()}, and apply it to a running balancer with {@link Balancer#update(BalancerConfig)}.
 *
 * <p>Backends keep their index (pen's {@code server N}): an empty slot, left by a removed server, stays in
 * {@link #backends()} as {@code null}, so that no other server's index moves.
 */
public final class BalancerConfig {
    /** pen's UDP sessions never end; ours end after this long without traffic unless told otherwise. */
    public static final Duration DEFAULT_UDP_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A TCP client that has sent no byte this long after it was accepted is closed (pen has no such limit). */
    public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(60);
    /** A TLS client that has not finished its handshake this long after it was accepted is closed. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The most server slots a config may hold (indexes 0 to {@code MAX_SLOTS - 1}). */
    public static final int MAX_SLOTS = 10_000;

    private final Address listen;
    private final List<Backend> backends;
    private final Strategy strategy;
    private final Modes modes;
    private final Limits limits;
    private final Backend emergency;
    private final Backend abuse;
    private final List<AccessList> accessLists;
    private final int clientAcl;
    private final List<ConnectionLog> connectionLogs;
    private final Transport transport;
    private final int eventLoops;
    private final int backlog;
    private final boolean reusePort;
    private final boolean tcpNoDelay;
    private final boolean http;
    private final TlsSettings tls;
    private final boolean udp;
    private final Duration udpIdleTimeout;
    private final Duration idleTimeout;
    private final Duration firstByteTimeout;
    private final Duration handshakeTimeout;
    private final ProxySettings proxy;

    private BalancerConfig(Builder b, Address listen, List<Backend> backends, Backend emergency, Backend abuse) {
        this.listen = listen;
        this.backends = Collections.unmodifiableList(new ArrayList<>(backends));
        this.strategy = b.strategy;
        this.modes = b.modes;
        this.limits = b.limits;
        this.emergency = emergency;
        this.abuse = abuse;
        this.accessLists = List.of(b.accessLists);
        this.clientAcl = b.clientAcl;
        this.connectionLogs = List.copyOf(b.connectionLogs);
        this.transport = b.transport;
        this.eventLoops = b.eventLoops;
        this.backlog = b.backlog;
        this.reusePort = b.reusePort;
        this.tcpNoDelay = b.tcpNoDelay;
        this.http = b.http;
        this.tls = b.tls;
        this.udp = b.udp;
        this.udpIdleTimeout = b.udpIdleTimeout;
        this.idleTimeout = b.idleTimeout;
        this.firstByteTimeout = b.firstByteTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.proxy = b.proxy;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every setting of this config, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.listen = listen;
        b.backends.addAll(backends);
        b.strategy = strategy;
        b.modes = modes;
        b.limits = limits;
        b.emergency = emergency;
        b.abuse = abuse;
        for (int i = 0; i < AccessList.LISTS; i++) {
            b.accessLists[i] = accessLists.get(i);
        }
        b.clientAcl = clientAcl;
        b.connectionLogs.addAll(connectionLogs);
        b.transport = transport;
        b.eventLoops = eventLoops;
        b.backlog = backlog;
        b.reusePort = reusePort;
        b.tcpNoDelay = tcpNoDelay;
        b.http = http;
        b.tls = tls;
        b.udp = udp;
        b.udpIdleTimeout = udpIdleTimeout;
        b.idleTimeout = idleTimeout;
        b.firstByteTimeout = firstByteTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.proxy = proxy;
        return b;
    }

    public Address listen() {
        return listen;
    }

    /**
     * Backends by pen index, {@code null} for an empty slot; the list may be empty (backends can be added later).
     */
    public List<Backend> backends() {
        return backends;
    }

    /** The backend in slot {@code index}, or empty when that slot is empty or beyond the table. */
    public Optional<Backend> backend(int index) {
        return index >= 0 && index < backends.size() ? Optional.ofNullable(backends.get(index)) : Optional.empty();
    }

    /** The number of backend slots, empty ones included (pen's server count). */
    public int backendSlots() {
        return backends.size();
    }

    /** The first empty slot, or the slot after the last: where {@link Balancer#addBackend} puts a backend. */
    public int firstFreeSlot() {
        int i = backends.indexOf(null);
        return i >= 0 ? i : backends.size();
    }

    public Strategy strategy() {
        return strategy;
    }

    public Modes modes() {
        return modes;
    }

    public Limits limits() {
        return limits;
    }

    /** The emergency server (pen's -e), used only when every backend failed; {@code null} when none. */
    public Backend emergency() {
        return emergency;
    }

    /** The abuse server (pen's -B) for clients the client ACL denies; {@code null} when none. */
    public Backend abuse() {
        return abuse;
    }

    /** pen's ten access lists, 0 to 9. */
    public List<AccessList> accessLists() {
        return accessLists;
    }

    /** The access list that new clients must pass (pen's {@code client_acl}, default 0). */
    public int clientAcl() {
        return clientAcl;
    }

    public List<ConnectionLog> connectionLogs() {
        return connectionLogs;
    }

    public Transport transport() {
        return transport;
    }

    /** Event loop threads for the relay (default 1, as pen is one process with one loop). */
    public int eventLoops() {
        return eventLoops;
    }

    /** The listen backlog (pen's -q, default 500). */
    public int backlog() {
        return backlog;
    }

    /** Whether the listener sets SO_REUSEPORT, so another balancer may bind the same port (default off). */
    public boolean reusePort() {
        return reusePort;
    }

    /** Whether TCP_NODELAY is set on both sides of each connection (default on). */
    public boolean tcpNoDelay() {
        return tcpNoDelay;
    }

    /**
     * Whether http mode (pen's -H) is on at start: {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are added
     * to every HTTP/1.x request, and each request's line is given to the connection log. A client on a Unix
     * socket has no address and gets only {@code X-Forwarded-Proto}. Default off; no effect in UDP mode. See
     * {@link Balancer#update(BalancerConfig)} to change it while running.
     */
    public boolean http() {
        return http;
    }

    /** TLS termination at the listener (pen's -E and friends), or {@code null} for plain TCP (the default). */
    public TlsSettings tls() {
        return tls;
    }

    /** Whether the balancer relays UDP datagrams instead of TCP connections (pen's -U). Default off. */
    public boolean udp() {
        return udp;
    }

    /**
     * How long a UDP session (one client address and port) may go without a datagram either way before it ends;
     * {@link Duration#ZERO} means sessions never end, as in pen. Default 60 seconds.
     */
    public Duration udpIdleTimeout() {
        return udpIdleTimeout;
    }

    /**
     * How long a TCP connection may go without a byte either way before it is closed (pen's {@code idle_timeout});
     * {@link Duration#ZERO} means never, pen's default. UDP sessions have {@link #udpIdleTimeout()}.
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * How long a TCP client may go, from its accept, without sending a byte before it is closed, whatever the
     * backend sends; {@link Duration#ZERO} means never. Default 60 seconds.
     */
    public Duration firstByteTimeout() {
        return firstByteTimeout;
    }

    /**
     * How long a TLS client may take, from its accept, to finish its handshake before it is closed; no backend
     * is chosen before it has. Default 10 seconds.
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * The PROXY protocol: the header backend connections start with, and the networks trusted to send one naming
     * the real client. Default {@link ProxySettings#NONE}. TCP only: {@link Builder#build()} refuses any header with
     * UDP.
     */
    public ProxySettings proxy() {
        return proxy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BalancerConfig c && listen.equals(c.listen) && backends.equals(c.backends)
                && strategy.equals(c.strategy) && modes.equals(c.modes) && limits.equals(c.limits)
                && Objects.equals(emergency, c.emergency) && Objects.equals(abuse, c.abuse)
                && accessLists.equals(c.accessLists) && clientAcl == c.clientAcl
                && connectionLogs.equals(c.connectionLogs) && transport == c.transport && eventLoops == c.eventLoops
                && backlog == c.backlog && reusePort == c.reusePort && tcpNoDelay == c.tcpNoDelay && http == c.http
                && Objects.equals(tls, c.tls) && udp == c.udp && udpIdleTimeout.equals(c.udpIdleTimeout)
                && idleTimeout.equals(c.idleTimeout) && firstByteTimeout.equals(c.firstByteTimeout)
                && handshakeTimeout.equals(c.handshakeTimeout) && proxy.equals(c.proxy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(listen, backends, modes, limits, clientAcl, http, udp);
    }

    @Override
    public String toString() {
        return "BalancerConfig{listen=" + listen + ", backends=" + backends + ", modes=" + modes + ", limits="
                + limits + (http ? ", http" : "") + (tls != null ? ", " + tls : "") + (udp ? ", udp" : "") + "}";
    }

    /** Collects settings; {@link #build()} checks them and names the first bad one. */
    public static final class Builder {
        private String listenText;
        private Address listen;
        private final List<Object> backends = new ArrayList<>();
        private Strategy strategy = Strategy.penModes();
        private Modes modes = Modes.DEFAULT;
        private Limits limits = Limits.DEFAULT;
        private Object emergency;
        private Object abuse;
        private final AccessList[] accessLists = new AccessList[AccessList.LISTS];
        private int clientAcl;
        private final List<ConnectionLog> connectionLogs = new ArrayList<>();
        private Transport transport = Transport.AUTO;
        private int eventLoops = 1;
        private int backlog = 500;
        private boolean reusePort;
        private boolean tcpNoDelay = true;
        private boolean http;
        private TlsSettings tls;
        private boolean udp;
        private Duration udpIdleTimeout = DEFAULT_UDP_IDLE_TIMEOUT;
        private Duration idleTimeout = Duration.ZERO;
        private Duration firstByteTimeout = DEFAULT_FIRST_BYTE_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private ProxySettings proxy = ProxySettings.NONE;

        private Builder() {
            Arrays.fill(accessLists, AccessList.empty());
        }

        /** Listen on pen's {@code [host:]port} or a Unix socket path; parsed by {@link #build()}. */
        public Builder listen(String text) {
            this.listenText = Objects.requireNonNull(text, "listen");
            this.listen = null;
            return this;
        }

        /** Listen on {@code address}; see {@link BalancerConfig#listen()}. */
        public Builder listen(Address address) {
            this.listen = Objects.requireNonNull(address, "listen");
            this.listenText = null;
            return this;
        }

        /** Adds a backend from pen's server spec; a missing port defaults to the listen port. */
        public Builder backend(String spec) {
            backends.add(Objects.requireNonNull(spec, "backend"));
            return this;
        }

        /** Adds {@code backend} in the slot after the last one given. */
        public Builder backend(Backend backend) {
            backends.add(Objects.requireNonNull(backend, "backend"));
            return this;
        }

        /** Adds each of {@code list} after the slots already given. */
        public Builder backends(List<Backend> list) {
            list.forEach(this::backend);
            return this;
        }

        /**
         * Puts {@code backend} in slot {@code index} (pen's {@code server N address ...}), adding empty slots
         * before it when the table is shorter; {@code null} empties the slot. No other slot's index changes.
         */
        public Builder backend(int index, Backend backend) {
            if (index < 0 || index >= MAX_SLOTS) {
                throw new IllegalArgumentException(
                        "unexpected server index: " + index + " (expected 0.." + (MAX_SLOTS - 1) + ")");
            }
            while (backends.size() <= index) {
                backends.add(null);
            }
            backends.set(index, backend);
            return this;
        }

        /** Empties every slot. */
        public Builder clearBackends() {
            backends.clear();
            return this;
        }

        /** How a new client's backend is chosen (default: pen's, following the mode flags). */
        public Builder strategy(Strategy s) {
            this.strategy = Objects.requireNonNull(s, "strategy");
            return this;
        }

        /** pen's mode flags (-h, -r, -s, -W, prio); default all off. */
        public Builder modes(Modes m) {
            this.modes = Objects.requireNonNull(m, "modes");
            return this;
        }

        /** Timeouts and limits (-t, -b, -c, -T, -x); default pen's. */
        public Builder limits(Limits l) {
            this.limits = Objects.requireNonNull(l, "limits");
            return this;
        }

        /** The emergency server from pen's {@code host[:port]}; a missing port defaults to the listen port. */
        public Builder emergency(String spec) {
            this.emergency = spec;
            return this;
        }

        /** The emergency server; {@code null} for none. */
        public Builder emergency(Backend backend) {
            this.emergency = backend;
            return this;
        }

        /** The abuse server from pen's {@code host[:port]}; a missing port defaults to the listen port. */
        public Builder abuse(String spec) {
            this.abuse = spec;
            return this;
        }

        /** The abuse server; {@code null} for none. */
        public Builder abuse(Backend backend) {
            this.abuse = backend;
            return this;
        }

        /** Access list {@code number} (0 to 9), pen's {@code acl N ...}; all are empty (permit all) by default. */
        public Builder accessList(int number, AccessList list) {
            checkAcl(number);
            accessLists[number] = Objects.requireNonNull(list, "list");
            return this;
        }

        /** The access list new clients must pass (pen's {@code client_acl}); default 0. */
        public Builder clientAcl(int number) {
            checkAcl(number);
            this.clientAcl = number;
            return this;
        }

        /** Adds a listener for connection events; it cannot change on a running balancer. */
        public Builder connectionLog(ConnectionLog log) {
            connectionLogs.add(Objects.requireNonNull(log, "log"));
            return this;
        }

        /** The transport (default: io_uring, else epoll, else NIO); it cannot change on a running balancer. */
        public Builder transport(Transport t) {
            this.transport = Objects.requireNonNull(t, "transport");
            return this;
        }

        /** Event loop threads for the relay (default 1); it cannot change on a running balancer. */
        public Builder eventLoops(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("unexpected event loops: " + n + " (expected 1 or more)");
            }
            this.eventLoops = n;
            return this;
        }

        /** The listen backlog (pen's -q, default 500). */
        public Builder backlog(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("unexpected backlog: " + n + " (expected 1 or more)");
            }
            this.backlog = n;
            return this;
        }

        /** Whether the listener sets SO_REUSEPORT (default off). */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /** Whether TCP_NODELAY is set on both sides of each connection (default on). */
        public Builder tcpNoDelay(boolean on) {
            this.tcpNoDelay = on;
            return this;
        }

        /** http mode (pen's -H); see {@link BalancerConfig#http()}. */
        public Builder http(boolean on) {
            this.http = on;
            return this;
        }

        /** Terminates TLS at the listener with {@code settings}; {@code null} turns TLS off. */
        public Builder tls(TlsSettings settings) {
            this.tls = settings;
            return this;
        }

        /** UDP mode (pen's -U); see {@link BalancerConfig#udp()}. */
        public Builder udp(boolean on) {
            this.udp = on;
            return this;
        }

        /**
         * The UDP session idle timeout; see {@link BalancerConfig#udpIdleTimeout()}.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder udpIdleTimeout(Duration timeout) {
            this.udpIdleTimeout = checkTimeout("UDP idle timeout", timeout);
            return this;
        }

        /**
         * The TCP idle timeout; see {@link BalancerConfig#idleTimeout()}.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = checkTimeout("idle timeout", timeout);
            return this;
        }

        /**
         * The first byte timeout; see {@link BalancerConfig#firstByteTimeout()}.
         *
         * @throws IllegalArgumentException when negative
         */
        public Builder firstByteTimeout(Duration timeout) {
            this.firstByteTimeout = checkTimeout("first byte timeout", timeout);
            return this;
        }

        /**
         * The TLS handshake timeout; see {@link BalancerConfig#handshakeTimeout()}.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder handshakeTimeout(Duration timeout) {
            if (checkTimeout("handshake timeout", timeout).isZero()) {
                throw new IllegalArgumentException("unexpected handshake timeout: 0 ms (expected more than 0)");
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** The PROXY protocol settings; see {@link BalancerConfig#proxy()}. */
        public Builder proxy(ProxySettings settings) {
            this.proxy = Objects.requireNonNull(settings, "proxy");
            return this;
        }

        /**
         * Checks everything and returns the config.
         *
         * @throws IllegalArgumentException naming the first bad value and what was expected
         */
        public BalancerConfig build() {
            Address l = listen;
            if (l == null) {
                if (listenText == null) {
                    throw new IllegalArgumentException("no listen address (expected [host:]port or a socket path)");
                }
                l = Address.parseListen(listenText, "tcp");
            }
            if (udp && l.isUnix()) {
                throw new IllegalArgumentException(
                        "UDP on Unix socket " + l + " (expected a [host:]port listen address with UDP)");
            }
            if (udp && tls != null) {
                throw new IllegalArgumentException("TLS with UDP (expected one of them: TLS terminates TCP only)");
            }
            if (backends.size() > MAX_SLOTS) {
                throw new IllegalArgumentException(
                        "unexpected number of servers: " + backends.size() + " (expected at most " + MAX_SLOTS + ")");
            }
            int defaultPort = l.isUnix() ? 0 : l.port();
            List<Backend> parsed = new ArrayList<>(backends.size());
            for (Object b : backends) {
                parsed.add(b == null ? null : toBackend(b, defaultPort));
            }
            if (udp && (proxy.send() != ProxyProtocol.OFF || proxy.accepting() || parsed.stream().anyMatch(
                    b -> b != null && b.proxyProtocol().filter(v -> v != ProxyProtocol.OFF).isPresent()))) {
                throw new IllegalArgumentException("PROXY protocol with UDP (expected one of them: PROXY headers are"
                        + " sent and read on TCP connections only)");
            }
            return new BalancerConfig(this, l, parsed, toBackend(emergency, defaultPort), toBackend(abuse, defaultPort));
        }

        private static Backend toBackend(Object spec, int defaultPort) {
            if (spec == null || spec instanceof Backend) {
                return (Backend) spec;
            }
            return Backend.parse((String) spec, defaultPort);
        }

        private static Duration checkTimeout(String name, Duration timeout) {
            Objects.requireNonNull(timeout, name);
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("unexpected " + name + ": " + timeout.toMillis()
                        + " ms (expected 0 for never, or more)");
            }
            return timeout;
        }

        private static void checkAcl(int number) {
            if (number < 0 || number >= AccessList.LISTS) {
                throw new IllegalArgumentException(
                        "unexpected acl number: " + number + " (expected 0.." + (AccessList.LISTS - 1) + ")");
            }
        }
    }
}
