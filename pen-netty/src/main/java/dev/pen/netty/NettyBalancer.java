package dev.pen.netty;

import dev.pen.api.AccessList;
import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ClientStats;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.Strategy;
import dev.pen.api.TlsSettings;
import dev.pen.netty.internal.http.HttpMode;
import dev.pen.netty.internal.metrics.BalancerMetrics;
import dev.pen.netty.internal.relay.AcceptGate;
import dev.pen.netty.internal.relay.RelayConnection;
import dev.pen.netty.internal.relay.RelayContext;
import dev.pen.netty.internal.relay.RelayInitializer;
import dev.pen.netty.internal.select.ServerSelector;
import dev.pen.netty.internal.tls.TlsTerminator;
import dev.pen.netty.internal.transport.ChosenTransport;
import dev.pen.netty.internal.udp.UdpRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancer on Netty. {@link #start(BalancerConfig)} checks the config, resolves every backend, binds the
 * listener and returns once it accepts; {@link #start(BalancerConfig, MeterRegistry)} also registers metrics.
 * Nothing is left running when start fails.
 */
public final class NettyBalancer implements Balancer {
    private static final Logger LOG = LoggerFactory.getLogger(NettyBalancer.class);

    private final BalancerConfig config;
    private final ChosenTransport transport;
    private final ServerSelector selector;
    private final AcceptGate gate;
    private final RelayContext context;
    private final EventLoopGroup group;
    private final Channel listener;
    private final BalancerMetrics metrics;
    private final HttpMode http;
    private final TlsTerminator tls;
    private final UdpRelay udp;
    private volatile Duration udpIdleTimeout;
    private volatile boolean closed;

    private NettyBalancer(BalancerConfig config, MeterRegistry registry) {
        this.config = config;
        this.transport = ChosenTransport.choose(config.transport());
        this.selector = new ServerSelector(config.backends(), config.emergency(), config.abuse(), config.strategy(),
                config.modes(), config.limits(), config.accessLists(), config.clientAcl(), this::resolve);
        this.gate = new AcceptGate(config.limits().maxConnections());
        this.context = new RelayContext(selector, transport, config.connectionLogs(), gate, config.tcpNoDelay());
        this.http = new HttpMode(config.http() && !config.udp());
        this.tls = config.tls() == null ? null : TlsTerminator.load(config.tls());
        this.udpIdleTimeout = config.udpIdleTimeout();
        this.udp = config.udp() ? new UdpRelay(selector, transport, config.connectionLogs(), context,
                config.udpIdleTimeout()) : null;
        SocketAddress bindAddress = listenAddress(config.listen());
        this.group = new MultiThreadIoEventLoopGroup(config.eventLoops(), new DefaultThreadFactory("pen", true),
                transport.ioHandlerFactory().get());
        try {
            this.listener = udp != null ? udp.bind(group, bindAddress, config.reusePort(), config.listen().toString())
                    : bind(bindAddress);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
            throw e;
        }
        this.metrics = registry == null ? null : new BalancerMetrics(registry, context, this::activeConnections);
        LOG.debug("listening on {} with {} servers", listener.localAddress(), config.backends().size());
    }

    /**
     * Starts a balancer.
     *
     * @throws IllegalArgumentException for an unresolvable host, naming it
     * @throws IllegalStateException when the listener cannot be bound, with the address and the cause
     */
    public static Balancer start(BalancerConfig config) {
        return new NettyBalancer(config, null);
    }

    /** Starts a balancer whose figures are registered with {@code registry} (see {@link BalancerMetrics}). */
    public static Balancer start(BalancerConfig config, MeterRegistry registry) {
        return new NettyBalancer(config, registry);
    }

    private Channel bind(SocketAddress address) {
        if (ChosenTransport.isUnix(address)) {
            try {
                Files.deleteIfExists(Path.of(ChosenTransport.unixPath(address)));
            } catch (IOException e) {
                throw new IllegalStateException("can't remove old socket " + ChosenTransport.unixPath(address)
                        + ": " + e.getMessage(), e);
            }
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(ChosenTransport.isUnix(address) ? transport.serverDomainChannel() : transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .handler(gate)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new RelayInitializer(context, tls, http));
        if (!ChosenTransport.isUnix(address)) {
            b.option(ChannelOption.SO_REUSEADDR, true);
            if (config.reusePort()) {
                transport.reusePort(b);
            }
        }
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            throw new IllegalStateException("can't bind local address " + config.listen() + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()), cause);
        }
        return f.channel();
    }

    private SocketAddress listenAddress(Address a) {
        if (a.isUnix()) {
            return transport.unixAddress(a.path());
        }
        if (a.host() == null) {
            return new InetSocketAddress(a.port());
        }
        return new InetSocketAddress(lookup(a.host()), a.port());
    }

    private SocketAddress resolve(Backend backend) {
        Address a = backend.address();
        if (a.isUnix()) {
            return transport.unixAddress(a.path());
        }
        return new InetSocketAddress(lookup(a.host()), a.port());
    }

    private static InetAddress lookup(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown or invalid address [" + host + "]");
        }
    }

    // ---- Balancer ---------------------------------------------------------------------------------------------

    @Override
    public SocketAddress localAddress() {
        return listener.localAddress();
    }

    @Override
    public List<BackendStats> backends() {
        return selector.backendStats();
    }

    @Override
    public Optional<BackendStats> backend(int index) {
        return index < 0 ? Optional.empty() : selector.backendStats(index);
    }

    @Override
    public int backendSlots() {
        return selector.slotCount();
    }

    @Override
    public Optional<BackendStats> emergency() {
        return selector.backendStats(Backend.EMERGENCY_INDEX);
    }

    @Override
    public Optional<BackendStats> abuse() {
        return selector.backendStats(Backend.ABUSE_INDEX);
    }

    @Override
    public int addBackend(Backend backend) {
        int index = selector.add(backend);
        refreshMetrics();
        return index;
    }

    @Override
    public void setBackend(int index, Backend backend) {
        selector.set(index, backend);
        refreshMetrics();
    }

    @Override
    public void removeBackend(int index) {
        selector.remove(index);
        refreshMetrics();
    }

    @Override
    public void drainBackend(int index) {
        selector.drain(index);
    }

    @Override
    public void blacklistBackend(int index, Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    "unexpected blacklist time: " + duration.toSeconds() + " s (expected 0 or more)");
        }
        selector.blacklist(index, duration);
    }

    private void refreshMetrics() {
        if (metrics != null) {
            metrics.refreshBackends();
        }
    }

    @Override
    public Modes modes() {
        return selector.currentModes();
    }

    @Override
    public void setModes(Modes modes) {
        selector.setModes(java.util.Objects.requireNonNull(modes, "modes"));
    }

    @Override
    public Limits limits() {
        return selector.limits();
    }

    @Override
    public void setLimits(Limits limits) {
        selector.setLimits(java.util.Objects.requireNonNull(limits, "limits"));
        gate.setMax(limits.maxConnections());
    }

    @Override
    public Strategy strategy() {
        return selector.strategy();
    }

    @Override
    public void setStrategy(Strategy strategy) {
        selector.setStrategy(java.util.Objects.requireNonNull(strategy, "strategy"));
    }

    @Override
    public AccessList accessList(int number) {
        return selector.accessList(number);
    }

    @Override
    public void setAccessList(int number, AccessList list) {
        selector.setAccessList(number, java.util.Objects.requireNonNull(list, "list"));
    }

    @Override
    public int clientAcl() {
        return selector.clientAcl();
    }

    @Override
    public void setClientAcl(int number) {
        selector.setClientAcl(number);
    }

    @Override
    public List<ClientStats> clients() {
        return selector.clientStats();
    }

    @Override
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> list = new ArrayList<>(context.open().values());
        if (udp != null) {
            list.addAll(udp.sessions().values());
        }
        list.sort((a, b) -> Long.compare(a.id(), b.id()));
        return list;
    }

    @Override
    public boolean closeConnection(long id) {
        RelayConnection c = context.open().get(id);
        if (c == null) {
            return udp != null && udp.close(id);
        }
        c.clientChannel().close();
        return true;
    }

    @Override
    public int activeConnections() {
        return udp != null ? udp.open() : gate.open();
    }

    // ---- modes ----------------------------------------------------------------------------------------------

    @Override
    public boolean httpMode() {
        return http.on();
    }

    @Override
    public void setHttpMode(boolean on) {
        http.set(on && udp == null);
    }

    @Override
    public Optional<TlsSettings> tls() {
        return tls == null ? Optional.empty() : Optional.of(tls.settings());
    }

    @Override
    public void reloadTls() {
        if (tls != null) {
            tls.reload();
        }
    }

    @Override
    public boolean udp() {
        return udp != null;
    }

    @Override
    public Duration udpIdleTimeout() {
        return udpIdleTimeout;
    }

    @Override
    public void setUdpIdleTimeout(Duration timeout) {
        java.util.Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("unexpected UDP idle timeout: " + timeout.toMillis()
                    + " ms (expected 0 for never, or more)");
        }
        udpIdleTimeout = timeout;
        if (udp != null) {
            udp.setIdleTimeout(timeout);
        }
    }

    /** The state shared by this balancer's connections (for tests and diagnostics in this module). */
    public RelayContext relayContext() {
        return context;
    }

    /** The transport in use. */
    public dev.pen.api.Transport transport() {
        return transport.kind();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        listener.close().syncUninterruptibly();
        for (RelayConnection c : context.open().values()) {
            c.clientChannel().eventLoop().execute(c::closeAfterFlush);
        }
        // Give what is already written a moment to reach its peer before the threads stop.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!context.open().isEmpty() && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (metrics != null) {
            metrics.close();
        }
        if (ChosenTransport.isUnix(listener.localAddress())) {
            try {
                Files.deleteIfExists(Path.of(ChosenTransport.unixPath(listener.localAddress())));
            } catch (IOException e) {
                LOG.debug("can't remove socket file: {}", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "NettyBalancer{" + listener.localAddress() + ", " + transport.kind() + (udp != null ? ", udp" : "")
                + (tls != null ? ", tls" : "") + "}";
    }
}
