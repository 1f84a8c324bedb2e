package dev.pen.netty.internal.relay;

import dev.pen.api.BalancerConfig;
import dev.pen.api.FastClose;
import dev.pen.api.ProxySettings;
import dev.pen.netty.internal.http.HttpMode;
import dev.pen.netty.internal.select.ServerSelector;
import dev.pen.netty.internal.tls.TlsTerminator;
import dev.pen.netty.internal.transport.ChosenTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of one balancer shares: the selector, the transport, the event fan-out, the connection
 * gate, the open connections, and the settings read once per accepted connection (TLS, http mode, TCP_NODELAY,
 * timeouts, fast close, dummy) or per backend connect (keepalive, source, transparent), which a new configuration
 * replaces for connections made afterwards.
 */
public final class RelayContext {
    /** Pending outbound bytes above which the other side stops being read, and below which it resumes. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    private final ServerSelector selector;
    private final ChosenTransport transport;
    private final ConnectionEvents events;
    private final AcceptGate gate;
    /**
     * Whether plain connections may move their bytes socket to socket with splice(2) once a direction has
     * relayed {@link RelayConnection#SPLICE_AFTER} bytes: on epoll only, unless {@code -Dpen.splice=false}.
     */
    private final boolean splice;
    /** What makes backend sockets, by the kind of the server's address. */
    private final ChannelFactory<? extends Channel> ipv4Sockets;
    private final ChannelFactory<? extends Channel> usualSockets;
    private final ChannelFactory<? extends Channel> unixSockets;
    private final Map<Long, RelayConnection> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final HttpMode http = new HttpMode(false);
    private volatile TlsTerminator tls;
    private volatile boolean tcpNoDelay;
    private volatile ConnectionTimeouts.Limits timeouts = ConnectionTimeouts.Limits.NONE;
    private volatile FastClose fastClose = FastClose.OFF;
    private volatile boolean dummy;
    private volatile BackendSocket.Options backendOptions = BackendSocket.Options.NONE;
    private final BackendSocket backendSocket;
    private volatile ProxySettings proxy = ProxySettings.NONE;
    private final LongAdder proxyRefused = new LongAdder();

    public RelayContext(ServerSelector selector, ChosenTransport transport, ConnectionEvents events, AcceptGate gate) {
        this.selector = selector;
        this.transport = transport;
        this.events = events;
        this.gate = gate;
        this.splice = transport.kind() == dev.pen.api.Transport.EPOLL
                && Boolean.parseBoolean(System.getProperty("pen.splice", "true"));
        this.ipv4Sockets = transport.socketChannels(ChosenTransport.Family.IPV4);
        this.usualSockets = transport.socketChannels(ChosenTransport.Family.USUAL);
        this.unixSockets = transport.socketChannels(ChosenTransport.Family.UNIX);
        this.backendSocket = new BackendSocket(transport);
    }

    public ServerSelector selector() {
        return selector;
    }

    public ChosenTransport transport() {
        return transport;
    }

    public ConnectionEvents events() {
        return events;
    }

    public AcceptGate gate() {
        return gate;
    }

    boolean splice() {
        return splice;
    }

    /**
     * Checks what {@code config} asks of the sockets that this transport and process may not give.
     *
     * @throws IllegalArgumentException naming the setting, why not and what is expected
     */
    public void check(BalancerConfig config) {
        if (config.transparent() && !config.udp()) {
            BackendSocket.checkTransparent(transport);
        }
    }

    /** The settings for connections accepted from now on; open ones keep what they started with. */
    public void acceptWith(TlsTerminator tlsTerminator, BalancerConfig config) {
        tls = tlsTerminator;
        http.set(config.http() && !config.udp());
        tcpNoDelay = config.tcpNoDelay();
        timeouts = ConnectionTimeouts.Limits.of(config);
        fastClose = config.fastClose();
        dummy = config.dummy();
        backendOptions = BackendSocket.Options.of(config);
        proxy = config.proxy();
    }

    /** pen's tcp_fastclose for new connections. */
    FastClose fastClose() {
        return fastClose;
    }

    /** Whether new connections get pen's dummy reply instead of a server. */
    boolean dummy() {
        return dummy;
    }

    /**
     * Registers {@code ch} on {@code loop} and connects it to {@code target} ({@code client}: the address a
     * transparent connect is made from, or null); {@code done} hears the connect's outcome, or the failed
     * registration once the channel is closed. Made and registered here rather than through a Bootstrap: the
     * address is resolved, and this runs once per connect.
     */
    void registerAndConnect(EventLoop loop, Channel ch, SocketAddress target, SocketAddress client,
            ChannelFutureListener done) {
        ChannelFuture registered = loop.register(ch);
        if (registered.isDone()) {
            connectRegistered(registered, target, client, done); // the usual case: registered inline on this loop
        } else {
            registered.addListener(r -> connectRegistered(registered, target, client, done));
        }
    }

    private void connectRegistered(ChannelFuture registered, SocketAddress target, SocketAddress client,
            ChannelFutureListener done) {
        Channel ch = registered.channel();
        if (registered.isSuccess()) {
            backendSocket.connect(ch, target, client, backendOptions).addListener(done);
        } else {
            ch.unsafe().closeForcibly();
            registered.addListener(done);
        }
    }

    /** The PROXY protocol settings for new connections. */
    ProxySettings proxy() {
        return proxy;
    }

    /** Connections closed for a PROXY header: from an untrusted address, malformed, or missing from a trusted one. */
    public long proxyRefused() {
        return proxyRefused.sum();
    }

    void countProxyRefused() {
        proxyRefused.increment();
    }

    /** The time limits for new connections. */
    ConnectionTimeouts.Limits timeouts() {
        return timeouts;
    }

    /** The TLS terminator for new connections, or {@code null} for plain TCP. */
    public TlsTerminator tls() {
        return tls;
    }

    HttpMode http() {
        return http;
    }

    /**
     * A new, unregistered backend channel of this balancer's transport for {@code target}.
     *
     * @throws io.netty.channel.ChannelException when no socket can be made (out of descriptors, say)
     */
    Channel newBackendChannel(java.net.SocketAddress target) {
        Channel ch = switch (ChosenTransport.Family.of(target)) {
            case UNIX -> unixSockets.newChannel();
            case IPV4 -> ipv4Sockets.newChannel();
            case USUAL -> usualSockets.newChannel();
        };
        ch.config().setConnectTimeoutMillis(connectTimeoutMillis());
        return ch;
    }

    /**
     * The handlers of a new backend channel of {@code client}: response framing first when {@code client} is in
     * http mode (so a connection in plain mode pays one attribute lookup), then the relay's own.
     */
    void addBackendHandlers(Channel backend, Channel client, RelayConnection connection) {
        ChannelHandler responseFraming = HttpMode.responseFraming(client);
        if (responseFraming != null) {
            backend.pipeline().addLast("http", responseFraming);
        }
        backend.pipeline().addLast("relay", new BackendHandler(connection));
    }

    /** Connections http mode answered with 400 or 431 and closed. */
    public long httpRejected() {
        return http.rejected();
    }

    private int connectTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, selector.limits().connectTimeout().toMillis());
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    void opened(RelayConnection c) {
        open.put(c.id(), c);
    }

    void ended(RelayConnection c) {
        open.remove(c.id());
        gate.release();
    }

    /** The connection {@code id} if it is open now. */
    public RelayConnection connection(long id) {
        return open.get(id);
    }

    /** The connections open now. */
    public Collection<RelayConnection> connections() {
        return open.values();
    }

    /** Options every relayed socket gets. */
    void configure(Channel ch) {
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.config().setWriteBufferWaterMark(WATER_MARK);
        // Netty's TCP channels start with TCP_NODELAY on; only turning it off costs a system call.
        if (!tcpNoDelay && ch.config().getOption(ChannelOption.TCP_NODELAY) == Boolean.TRUE) {
            ch.config().setOption(ChannelOption.TCP_NODELAY, false);
        }
    }
}
