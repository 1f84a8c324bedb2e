package dev.pen.netty.internal.relay;

import dev.pen.api.ConnectionLog;
import dev.pen.netty.internal.select.ServerSelector;
import dev.pen.netty.internal.transport.ChosenTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every connection of one balancer shares: the selector, the transport, the log listeners, the connection
 * gate and the balancer-wide counters. Counters are adders, read by statistics and metrics.
 */
public final class RelayContext {
    /** Pending outbound bytes above which the other side stops being read, and below which it resumes. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);

    final ServerSelector selector;
    final ChosenTransport transport;
    final ConnectionLog[] logs;
    final ClientDataLogs dataLogs;
    final AcceptGate gate;
    final boolean tcpNoDelay;
    /**
     * Whether plain connections may move their bytes socket to socket with splice(2) once a direction has
     * relayed {@link RelayConnection#SPLICE_AFTER} bytes: on epoll only, unless {@code -Dpen.splice=false}.
     */
    final boolean splice;
    final Map<Long, RelayConnection> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final io.netty.channel.ChannelFactory<? extends Channel> socketChannels;
    private final io.netty.channel.ChannelFactory<? extends Channel> domainChannels;

    public final LongAdder relayed = new LongAdder();
    public final LongAdder refused = new LongAdder();
    public final LongAdder failed = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();

    public RelayContext(ServerSelector selector, ChosenTransport transport, List<ConnectionLog> logs, AcceptGate gate,
            boolean tcpNoDelay) {
        this.selector = selector;
        this.transport = transport;
        this.logs = logs.toArray(new ConnectionLog[0]);
        this.dataLogs = new ClientDataLogs(logs);
        this.gate = gate;
        this.tcpNoDelay = tcpNoDelay;
        this.splice = transport.kind() == dev.pen.api.Transport.EPOLL
                && Boolean.parseBoolean(System.getProperty("pen.splice", "true"));
        this.socketChannels = new io.netty.channel.ReflectiveChannelFactory<>(transport.socketChannel());
        this.domainChannels = new io.netty.channel.ReflectiveChannelFactory<>(transport.domainChannel());
    }

    /** The occupied server slots now. */
    public List<dev.pen.api.Candidate> selectorCandidates() {
        return selector.occupied();
    }

    /** A new, unregistered backend channel of this balancer's transport. */
    Channel newBackendChannel(boolean unix) {
        return unix ? domainChannels.newChannel() : socketChannels.newChannel();
    }

    int connectTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, selector.limits().connectTimeout().toMillis());
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    public Map<Long, RelayConnection> open() {
        return open;
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
