package dev.pen.netty;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ClientStats;
import dev.pen.api.ConnectionInfo;
import dev.pen.netty.internal.health.HealthChecks;
import dev.pen.api.HostPort;
import dev.pen.netty.internal.listen.Listener;
import dev.pen.netty.internal.metrics.BalancerMetrics;
import dev.pen.netty.internal.relay.AcceptGate;
import dev.pen.netty.internal.relay.ConnectionEvents;
import dev.pen.netty.internal.relay.IdleConnections;
import dev.pen.netty.internal.relay.RelayConnection;
import dev.pen.netty.internal.relay.RelayContext;
import dev.pen.netty.internal.select.ServerSelector;
import dev.pen.netty.internal.select.ServerTable;
import dev.pen.netty.internal.select.StateEvents;
import dev.pen.netty.internal.tls.TlsTerminator;
import dev.pen.netty.internal.transport.ChosenTransport;
import dev.pen.netty.internal.udp.UdpRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * The balancer on Netty. {@link #start(BalancerConfig)} checks the config, resolves every backend, binds the
 * listener and returns once it accepts; {@link #start(BalancerConfig, MeterRegistry)} also registers metrics.
 * Nothing is left running when start fails. {@link #update} applies a new configuration whole or not at all.
 */
public final class NettyBalancer implements Balancer {
    private final ChosenTransport transport;
    private final ServerSelector selector;
    private final AcceptGate gate;
    private final RelayContext context;
    private final EventLoopGroup group;
    private final Listener listener;
    private final BalancerMetrics metrics;
    private final UdpRelay udp;
    private final HealthChecks checks;
    private final IdleConnections idlers;
    private volatile BalancerConfig config;
    private volatile boolean closed;
    /** Set by {@link #closeGracefully}: the listener is closed and the open connections are finishing. */
    private volatile boolean stopping;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private NettyBalancer(BalancerConfig config) {
        this.config = config;
        this.transport = ChosenTransport.choose(config.transport());
        this.group = new MultiThreadIoEventLoopGroup(config.eventLoops(), new DefaultThreadFactory("pen", true),
                transport.ioHandlerFactory().get());
        try {
            StateEvents stateEvents = new StateEvents(() -> this.config.stateListeners(), group);
            this.selector = new ServerSelector(ServerTable.prepare(config, null, this::resolve), stateEvents);
            this.gate = new AcceptGate(config.limits().maxConnections());
            ConnectionEvents events = new ConnectionEvents(selector, config.connectionLogs());
            this.context = new RelayContext(selector, transport, events, gate);
            context.check(config);
            gate.setMaxPending(config.maxPendingConnects());
            gate.setAcceptBatch(config.acceptBatch());
            context.acceptWith(config.tls() == null ? null : TlsTerminator.load(config.tls()), config);
            this.udp = config.udp() ? new UdpRelay(selector, transport, events, config.udpIdleTimeout()) : null;
            if (udp != null) {
                udp.setSource(config.sourceAddress());
            }
            this.listener = new Listener(transport, group, context, udp);
            listener.bind(config);
            this.checks = new HealthChecks(transport, group, stateEvents);
            checks.apply(selector.table(), config);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
            throw e;
        }
        BalancerMetrics m = null;
        try {
            m = config.hasMeterRegistry() ? new BalancerMetrics(config.meterRegistry(), metricsName(config),
                    context, this::activeConnections, group) : null;
        } catch (RuntimeException e) {
            listener.close();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
            throw e;
        }
        this.metrics = m;
        this.idlers = new IdleConnections(context, group.next());
        idlers.keep(config.idleConnections());
    }

    /**
     * The {@code balancer} tag: the config's name, or where no name was given and the listen port is 0 (the OS
     * chooses), the address bound, so that such balancers in one registry do not share a name.
     */
    private String metricsName(BalancerConfig c) {
        Address listen = c.listen();
        if (!listen.isUnix() && listen.port() == 0 && c.name().equals(listen.toString())
                && listener.channel().localAddress() instanceof InetSocketAddress bound) {
            return new HostPort(bound.getAddress().getHostAddress(), Integer.toString(bound.getPort())).toString();
        }
        return c.name();
    }

    /**
     * Starts a balancer; its figures go to the config's meter registry when it has one.
     *
     * @throws IllegalArgumentException for an unresolvable host, an unusable TLS file, or a name whose meters are
     *     already in the registry, naming it
     * @throws IllegalStateException when the listener cannot be bound, with the address and the cause
     */
    public static Balancer start(BalancerConfig config) {
        return new NettyBalancer(config);
    }

    /**
     * Starts a balancer whose figures are registered with {@code registry} (see the metrics in the README), as
     * {@code BalancerConfig.builder().meterRegistry(registry)} does.
     */
    public static Balancer start(BalancerConfig config, MeterRegistry registry) {
        return new NettyBalancer(config.toBuilder().meterRegistry(registry).build());
    }

    private SocketAddress resolve(Backend backend) {
        if (backend.address().isUnix()) {
            return transport.unixAddress(backend.address().path());
        }
        return new InetSocketAddress(Listener.lookup(backend.address().host()), backend.address().port());
    }

    // ---- configuration ------------------------------------------------------------------------------------------

    @Override
    public BalancerConfig config() {
        return config;
    }

    @Override
    public BalancerConfig update(BalancerConfig next) {
        Objects.requireNonNull(next, "config");
        return update(c -> next);
    }

    /**
     * Everything that can fail is done first (resolving new hosts, reading TLS files, binding a new listener);
     * only then is the rest put in force, which cannot fail, so a refused configuration changes nothing.
     */
    @Override
    public synchronized BalancerConfig update(UnaryOperator<BalancerConfig> change) {
        if (closed) {
            throw new IllegalStateException("the balancer is closed (expected a running one)");
        }
        BalancerConfig current = config;
        BalancerConfig next = Objects.requireNonNull(change.apply(current), "config");
        if (next.equals(current)) {
            return current;
        }
        requireSame("transport", current.transport(), next.transport());
        requireSame("event loops", current.eventLoops(), next.eventLoops());
        requireSame("udp", current.udp(), next.udp());
        requireSame("connection logs", current.connectionLogs(), next.connectionLogs());
        requireSame("meter registry", current.hasMeterRegistry() ? current.meterRegistry() : "none",
                next.hasMeterRegistry() ? next.meterRegistry() : "none");
        // The name is the meters' balancer tag, fixed at start; a default name follows a moved listen address.
        boolean defaultNames = current.name().equals(current.listen().toString())
                && next.name().equals(next.listen().toString());
        if (!defaultNames) {
            requireSame("name", current.name(), next.name());
        }
        if (next.transparent() && !current.transparent()) {
            context.check(next);
        }
        ServerTable table = ServerTable.prepare(next, selector.table(), this::resolve);
        TlsTerminator tls = context.tls();
        if (!Objects.equals(current.tls(), next.tls())) {
            tls = next.tls() == null ? null : TlsTerminator.load(next.tls());
        }
        if (!next.listen().equals(current.listen()) || next.backlog() != current.backlog()
                || next.reusePort() != current.reusePort()) {
            if (stopping) {
                throw new IllegalStateException("the balancer is stopping and its listener is closed (expected "
                        + "the listen address, backlog and reuse-port setting unchanged)");
            }
            listener.move(current, next);
        }
        selector.apply(table);
        context.acceptWith(tls, next);
        gate.setMax(next.limits().maxConnections());
        gate.setMaxPending(next.maxPendingConnects());
        gate.setAcceptBatch(next.acceptBatch());
        if (udp != null) {
            udp.setIdleTimeout(next.udpIdleTimeout());
            udp.setSource(next.sourceAddress());
        }
        config = next;
        checks.apply(selector.table(), next);
        idlers.serversChanged();
        idlers.keep(next.idleConnections());
        if (metrics != null) {
            metrics.refreshBackends();
        }
        return next;
    }

    private static void requireSame(String what, Object was, Object now) {
        if (!was.equals(now)) {
            throw new IllegalArgumentException(what + " cannot change on a running balancer: " + was + " to " + now
                    + " (expected the same; start a new balancer for that)");
        }
    }

    // ---- live actions and figures ------------------------------------------------------------------------------

    @Override
    public SocketAddress localAddress() {
        return listener.channel().localAddress();
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
    public Optional<BackendStats> emergency() {
        return selector.backendStats(Backend.EMERGENCY_INDEX);
    }

    @Override
    public Optional<BackendStats> abuse() {
        return selector.backendStats(Backend.ABUSE_INDEX);
    }

    @Override
    public void drainBackend(int index, boolean on) {
        selector.drain(index, on);
    }

    @Override
    public void blacklistBackend(int index, Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    "unexpected blacklist time: " + duration.toSeconds() + " s (expected 0 or more)");
        }
        selector.blacklist(index, duration);
    }

    @Override
    public List<ClientStats> clients() {
        return selector.clientStats();
    }

    @Override
    public List<ConnectionInfo> connections() {
        List<ConnectionInfo> list = new ArrayList<>(context.connections());
        if (udp != null) {
            list.addAll(udp.sessions().values());
        }
        list.sort((a, b) -> Long.compare(a.id(), b.id()));
        return list;
    }

    @Override
    public boolean closeConnection(long id) {
        RelayConnection c = context.connection(id);
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

    @Override
    public int idleConnections() {
        return idlers.open();
    }

    @Override
    public long proxyHeadersRefused() {
        return context.proxyRefused();
    }

    @Override
    public void reloadTls() {
        TlsTerminator tls = context.tls();
        if (tls != null) {
            tls.reload();
        }
    }

    /** The state shared by this balancer's connections, for this module's tests. */
    RelayContext relayContext() {
        return context;
    }

    /** The listening channel, for this module's tests. */
    io.netty.channel.Channel listenerChannel() {
        return listener.channel();
    }

    /** The transport in use. */
    public dev.pen.api.Transport transport() {
        return transport.kind();
    }

    @Override
    public CompletableFuture<Void> closeGracefully(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace " + grace + " is negative (expected 0 or more)");
        }
        synchronized (this) {
            if (stopping || closed) {
                return terminated;
            }
            stopping = true;
            // Under the lock, so that no update binds a listener again once this one is closed.
            listener.close();
        }
        if (udp != null || grace.isZero()) {
            close();
            return terminated;
        }
        long deadline = System.nanoTime() + (grace.compareTo(Duration.ofDays(3650)) > 0 ? Long.MAX_VALUE / 2
                : grace.toNanos());
        // A thread of its own: close() waits for the event loops to stop, which no event loop may do.
        Thread waiter = new Thread(() -> {
            while (!closed && activeConnections() > 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            close();
        }, "pen-grace");
        waiter.setDaemon(true);
        waiter.start();
        return terminated;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            closeNow();
        } finally {
            terminated.complete(null);
        }
    }

    private void closeNow() {
        checks.close();
        idlers.close();
        listener.close();
        for (RelayConnection c : context.connections()) {
            c.clientChannel().eventLoop().execute(c::closeAfterFlush);
        }
        // Give what is already written a moment to reach its peer before the threads stop.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!context.connections().isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (metrics != null) {
            metrics.close();
        }
    }

    @Override
    public String toString() {
        return "NettyBalancer{" + localAddress() + ", " + transport.kind() + (udp != null ? ", udp" : "")
                + (context.tls() != null ? ", tls" : "") + "}";
    }
}
