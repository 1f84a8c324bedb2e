package dev.pen.api;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
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
 * connection log listeners, the transport, the protocol modes: http ({@code -H}), TLS termination
 * ({@code -E ...}) and UDP ({@code -U}), the active health checks and the listeners to backend state changes. Immutable; build one with {@link #builder()}, change a copy with
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
    /** The longest {@link #name()} accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 200;
    /** pen's default for {@link #maxPendingConnects()}. */
    public static final int DEFAULT_PENDING_CONNECTS = 100;
    /** pen's default for {@link #acceptBatch()} (its -m). */
    public static final int DEFAULT_ACCEPT_BATCH = 100;
    /** The upper bound of {@link #maxPendingConnects()} and {@link #acceptBatch()}. */
    public static final int MAX_COUNT = 1_048_576;
    /** The upper bound of {@link #idleConnections()}. */
    public static final int MAX_IDLE_CONNECTIONS = 1024;

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
    private final HealthCheck healthCheck;
    private final List<BackendStateListener> stateListeners;
    private final String name;
    /** A Micrometer {@code MeterRegistry}, or null; held as Object so that this class never links Micrometer. */
    private final Object meterRegistry;
    private final boolean keepAlive;
    private final InetAddress sourceAddress;
    private final boolean transparent;
    private final FastClose fastClose;
    private final int maxPendingConnects;
    private final int acceptBatch;
    private final boolean dummy;
    private final int idleConnections;
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
        this.healthCheck = b.healthCheck;
        this.stateListeners = List.copyOf(b.stateListeners);
        this.name = b.name;
        this.meterRegistry = b.meterRegistry;
        this.keepAlive = b.keepAlive;
        this.sourceAddress = b.sourceAddress;
        this.transparent = b.transparent;
        this.fastClose = b.fastClose;
        this.maxPendingConnects = b.maxPendingConnects;
        this.acceptBatch = b.acceptBatch;
        this.dummy = b.dummy;
        this.idleConnections = b.idleConnections;
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
        b.healthCheck = healthCheck;
        b.stateListeners.addAll(stateListeners);
        b.name = name;
        b.meterRegistry = meterRegistry;
        b.keepAlive = keepAlive;
        b.sourceAddress = sourceAddress;
        b.transparent = transparent;
        b.fastClose = fastClose;
        b.maxPendingConnects = maxPendingConnects;
        b.acceptBatch = acceptBatch;
        b.dummy = dummy;
        b.idleConnections = idleConnections;
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
     * The active health check settings of every backend, under each backend's own
     * ({@link Backend#healthCheck()}); {@link HealthCheck#NONE} by default: no server is checked, as in pen. A
     * server failing its checks is {@link BackendState#DOWN}: it takes no new clients, and its tracked clients
     * choose again, until it passes them again. Checks run on the balancer's event loops, never more than one at
     * a time per server. Emergency and abuse servers are not checked. With UDP, the checks still use TCP.
     */
    public HealthCheck healthCheck() {
        return healthCheck;
    }

    /** The check settings in force for {@code backend}: its own over the balancer's, with defaults filled in. */
    public HealthCheck.Resolved healthCheck(Backend backend) {
        return backend.healthCheck().over(healthCheck).resolve();
    }

    /** Who hears backend state changes; they may change on a running balancer. */
    public List<BackendStateListener> stateListeners() {
        return stateListeners;
    }

    /**
     * The balancer's name: the {@code balancer} tag of its meters, so that balancers sharing a registry keep their
     * figures apart. The name given to the builder, or else the listen address as {@link Address#toString()}
     * writes it (for port 0, the meters take the address bound). A running balancer keeps the name it started
     * with: an update naming another is refused, and a default name stays as it was when the listener moves.
     */
    public String name() {
        return name != null ? name : listen.toString();
    }

    /**
     * The Micrometer registry the balancer's meters go to, or {@code null} for none (the default). Micrometer is an
     * optional dependency of pen-api: only a caller that set a registry needs it on the class path to call this.
     */
    public MeterRegistry meterRegistry() {
        return meterRegistry == null ? null : (MeterRegistry) meterRegistry;
    }

    /** Whether a meter registry was given, without naming Micrometer's types. */
    public boolean hasMeterRegistry() {
        return meterRegistry != null;
    }

    /** Whether SO_KEEPALIVE is set on each backend connection (pen's {@code keepalive}); default off. */
    public boolean keepAlive() {
        return keepAlive;
    }

    /**
     * The local address backend connections are made from (pen's {@code source}; the port is chosen by the
     * system), or {@code null} for the system's choice (the default). It takes precedence over
     * {@link #transparent()}.
     */
    public InetAddress sourceAddress() {
        return sourceAddress;
    }

    /**
     * Whether backend connections of IPv4 clients to IPv4 servers are made from the client's own address (pen's
     * {@code transparent}, Linux's IP_TRANSPARENT); needs a native transport, CAP_NET_ADMIN or CAP_NET_RAW, and
     * routing that brings the servers' answers back through this host. Default off.
     */
    public boolean transparent() {
        return transparent;
    }

    /** What happens when one side of a TCP connection ends its stream (pen's {@code tcp_fastclose}); default off. */
    public FastClose fastClose() {
        return fastClose;
    }

    /**
     * The most backend connects in progress at once (pen's {@code pending_max}); while they are, no new client is
     * accepted, and waiting clients stay in the kernel's backlog. Default 100, as in pen.
     */
    public int maxPendingConnects() {
        return maxPendingConnects;
    }

    /** The most clients accepted per wakeup of the listener (pen's -m); default 100, as in pen. */
    public int acceptBatch() {
        return acceptBatch;
    }

    /**
     * Whether the balancer answers each TCP client itself, with pen's fixed {@code HTTP/1.1 200 OK} reply to its
     * first bytes, instead of relaying it to a server (pen's {@code dummy}, for testing); default off.
     */
    public boolean dummy() {
        return dummy;
    }

    /**
     * How many idle connections to the servers the balancer keeps open (pen's {@code idlers}); default 0. They are
     * opened round robin to the servers that take new clients (not blacklisted, not down by their checks, not
     * draining, below their {@code maxc}) and are never given to a client: whatever a server sends on one is read
     * and dropped, and one that closes is opened again. They count in their servers' connection figures as pen's
     * do, but not against {@link Limits#maxConnections()} nor in {@link Balancer#activeConnections()}. A failed
     * connect of one does not blacklist its server: the next server is tried, and when every server has failed in
     * a row the next attempt waits, 1 s at first, doubling up to 30 s. TCP only: not with {@link #udp()}.
     */
    public int idleConnections() {
        return idleConnections;
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
                && handshakeTimeout.equals(c.handshakeTimeout) && healthCheck.equals(c.healthCheck)
                && stateListeners.equals(c.stateListeners) && Objects.equals(name, c.name)
                && meterRegistry == c.meterRegistry && keepAlive == c.keepAlive
                && Objects.equals(sourceAddress, c.sourceAddress) && transparent == c.transparent
                && fastClose == c.fastClose && maxPendingConnects == c.maxPendingConnects
                && acceptBatch == c.acceptBatch && dummy == c.dummy && idleConnections == c.idleConnections
                && proxy.equals(c.proxy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(listen, backends, modes, limits, clientAcl, http, udp);
    }

    @Override
    public String toString() {
        return "BalancerConfig{listen=" + listen + ", backends=" + backends + ", modes=" + modes + ", limits="
                + limits + (http ? ", http" : "") + (tls != null ? ", " + tls : "") + (udp ? ", udp" : "")
                + (name != null ? ", name=" + name : "") + (meterRegistry != null ? ", metrics" : "") + "}";
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
        private HealthCheck healthCheck = HealthCheck.NONE;
        private final List<BackendStateListener> stateListeners = new ArrayList<>();
        private String name;
        private Object meterRegistry;
        private boolean keepAlive;
        private InetAddress sourceAddress;
        private boolean transparent;
        private FastClose fastClose = FastClose.OFF;
        private int maxPendingConnects = DEFAULT_PENDING_CONNECTS;
        private int acceptBatch = DEFAULT_ACCEPT_BATCH;
        private boolean dummy;
        private int idleConnections;
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

        /** The health check settings of every backend; see {@link BalancerConfig#healthCheck()}. */
        public Builder healthCheck(HealthCheck check) {
            this.healthCheck = Objects.requireNonNull(check, "healthCheck");
            return this;
        }

        /** Adds a listener to backend state changes; see {@link BackendStateListener}. */
        public Builder stateListener(BackendStateListener listener) {
            stateListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Removes every listener to backend state changes. */
        public Builder clearStateListeners() {
            stateListeners.clear();
            return this;
        }

        /** SO_KEEPALIVE on backend connections; see {@link BalancerConfig#keepAlive()}. */
        public Builder keepAlive(boolean on) {
            this.keepAlive = on;
            return this;
        }

        /** The local address of backend connections, {@code null} for none; see {@link #sourceAddress()}. */
        public Builder sourceAddress(InetAddress address) {
            this.sourceAddress = address;
            return this;
        }

        /** Connect to backends from the client's address; see {@link BalancerConfig#transparent()}. */
        public Builder transparent(boolean on) {
            this.transparent = on;
            return this;
        }

        /** pen's {@code tcp_fastclose}; see {@link BalancerConfig#fastClose()}. */
        public Builder fastClose(FastClose f) {
            this.fastClose = Objects.requireNonNull(f, "fastClose");
            return this;
        }

        /**
         * The balancer's name, the {@code balancer} tag of its meters (see {@link BalancerConfig#name()});
         * {@code null} goes back to the default, the listen address.
         *
         * @throws IllegalArgumentException when empty, longer than {@link #MAX_NAME_LENGTH} or holding a control
         *     character
         */
        public Builder name(String name) {
            if (name != null) {
                if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
                    throw new IllegalArgumentException("unexpected balancer name length: " + name.length()
                            + " (expected 1.." + MAX_NAME_LENGTH + " characters)");
                }
                for (int i = 0; i < name.length(); i++) {
                    if (Character.isISOControl(name.charAt(i))) {
                        throw new IllegalArgumentException("unexpected control character in balancer name at "
                                + i + " (expected printable characters)");
                    }
                }
            }
            this.name = name;
            return this;
        }

        /**
         * The most backend connects in progress at once; see {@link BalancerConfig#maxPendingConnects()}.
         *
         * @throws IllegalArgumentException when not from 1 to {@link #MAX_COUNT}
         */
        public Builder maxPendingConnects(int n) {
            this.maxPendingConnects = checkCount("pending connects", n);
            return this;
        }

        /**
         * The Micrometer registry for the balancer's meters (connections, bytes, per-server figures and timers,
         * the event loops), each tagged {@code balancer=}{@link BalancerConfig#name()}; {@code null} for none (the
         * default). It cannot change on a running balancer. Micrometer is an optional dependency of pen-api: a
         * caller who never calls this needs no Micrometer on the class path.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * The most clients accepted per wakeup; see {@link BalancerConfig#acceptBatch()}.
         *
         * @throws IllegalArgumentException when not from 1 to {@link #MAX_COUNT}
         */
        public Builder acceptBatch(int n) {
            this.acceptBatch = checkCount("accept batch", n);
            return this;
        }

        /** pen's {@code dummy}; see {@link BalancerConfig#dummy()}. */
        public Builder dummy(boolean on) {
            this.dummy = on;
            return this;
        }

        /**
         * The idle server connections to keep open (pen's {@code idlers}); see
         * {@link BalancerConfig#idleConnections()}.
         *
         * @throws IllegalArgumentException when not from 0 to {@link #MAX_IDLE_CONNECTIONS}
         */
        public Builder idleConnections(int n) {
            if (n < 0 || n > MAX_IDLE_CONNECTIONS) {
                throw new IllegalArgumentException(
                        "unexpected idle connections: " + n + " (expected 0.." + MAX_IDLE_CONNECTIONS + ")");
            }
            this.idleConnections = n;
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
            if (udp && idleConnections != 0) {
                throw new IllegalArgumentException("idle connections with UDP: " + idleConnections
                        + " (expected 0: UDP has no server connections to keep open)");
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

        private static int checkCount(String name, int n) {
            if (n < 1 || n > MAX_COUNT) {
                throw new IllegalArgumentException(
                        "unexpected " + name + ": " + n + " (expected 1.." + MAX_COUNT + ")");
            }
            return n;
        }

        private static void checkAcl(int number) {
            if (number < 0 || number >= AccessList.LISTS) {
                throw new IllegalArgumentException(
                        "unexpected acl number: " + number + " (expected 0.." + (AccessList.LISTS - 1) + ")");
            }
        }
    }
}
