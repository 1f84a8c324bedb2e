package dev.pen.netty.internal.udp;

import dev.pen.netty.internal.relay.ConnectionEvents;
import dev.pen.netty.internal.select.ServerSelector;
import dev.pen.netty.internal.transport.ChosenTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP mode: one listener socket; the first datagram from a client address and port starts a {@link UdpSession}
 * (selection, tracking, limits and blacklist through the {@link ServerSelector}, as a TCP connection would), and
 * later ones from the same address and port go the same way. Sessions end after the idle timeout, or when the
 * table is full (-x) and a new client comes, the session quiet longest. The session
 * table belongs to the listener's event loop; other threads see sessions through a concurrent map by id.
 */
public final class UdpRelay {
    private static final Logger LOG = LoggerFactory.getLogger(UdpRelay.class);
    /** Room for the largest datagram, so that none is cut short. */
    private static final int MAX_DATAGRAM = 65_536;

    final ServerSelector selector;
    final ChosenTransport transport;
    final ConnectionEvents events;
    /** What makes upstream sockets: IPv4 ones for IPv4 servers, the usual ones for the others. */
    private final io.netty.channel.ChannelFactory<? extends io.netty.channel.socket.DatagramChannel> ipv4Upstreams;
    private final io.netty.channel.ChannelFactory<? extends io.netty.channel.socket.DatagramChannel> usualUpstreams;
    private final Map<InetSocketAddress, UdpSession> byClient = new HashMap<>();
    private final Map<Long, UdpSession> byId = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Duration idleTimeout;
    /** pen's {@code source}: the local address of upstream sockets, or null for the system's choice. */
    private volatile java.net.InetAddress source;
    // Set when the listener registers, before it can read; read from other threads by close(id).
    volatile Channel listener;

    /** @param idleTimeout how long a session may be silent both ways; zero for never */
    public UdpRelay(ServerSelector selector, ChosenTransport transport, ConnectionEvents events,
            Duration idleTimeout) {
        this.selector = selector;
        this.transport = transport;
        this.events = events;
        this.idleTimeout = idleTimeout;
        this.ipv4Upstreams = transport.datagramChannels(ChosenTransport.Family.IPV4);
        this.usualUpstreams = transport.datagramChannels(ChosenTransport.Family.USUAL);
    }

    /** What makes the upstream socket of a session to {@code server}. */
    io.netty.channel.ChannelFactory<? extends io.netty.channel.socket.DatagramChannel> upstreams(
            java.net.SocketAddress server) {
        return ChosenTransport.Family.of(server) == ChosenTransport.Family.IPV4 ? ipv4Upstreams : usualUpstreams;
    }

    /** The local address of upstream sockets opened from now on; null for the system's choice. */
    public void setSource(java.net.InetAddress address) {
        source = address;
    }

    /** The local address an upstream socket to {@code target} binds to, or null for the system's choice. */
    java.net.SocketAddress localFor(java.net.SocketAddress target) {
        java.net.InetAddress s = source;
        // An address of the other family cannot be bound for this server: pen then connects from the system's choice.
        if (s == null || !(target instanceof InetSocketAddress t) || t.getAddress().getClass() != s.getClass()) {
            return null;
        }
        return new InetSocketAddress(s, 0);
    }

    static RecvByteBufAllocator datagramAllocator() {
        return new FixedRecvByteBufAllocator(MAX_DATAGRAM);
    }

    /** What binds a listener socket at {@code address} that hands each datagram to its session. */
    public Bootstrap listenerBootstrap(EventLoopGroup group, boolean reusePort, java.net.SocketAddress address) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channelFactory(transport.datagramChannels(ChosenTransport.Family.of(address)))
                .option(ChannelOption.RECVBUF_ALLOCATOR, datagramAllocator())
                .handler(new ListenerHandler());
        if (reusePort) {
            transport.reusePort(b);
        }
        return b;
    }

    /**
     * {@code listener} is bound: the idle check starts on its event loop. The sessions of an earlier listener end
     * when it closes: their replies could no longer come from the address they went to.
     */
    public void listening(Channel listener) {
        scheduleSweep(listener);
    }

    /** Sets the idle timeout; open sessions are judged by it from the next check, within a second. */
    public void setIdleTimeout(Duration timeout) {
        idleTimeout = timeout;
    }

    /** The sessions open now, by id. */
    public Map<Long, UdpSession> sessions() {
        return byId;
    }

    /** Sessions open now. */
    public int open() {
        return byId.size();
    }

    /** Ends session {@code id}; false when no such session is open. */
    public boolean close(long id) {
        UdpSession s = byId.get(id);
        if (s == null) {
            return false;
        }
        listener.eventLoop().execute(s::close);
        return true;
    }

    void removed(UdpSession s) {
        byClient.remove(s.client(), s);
        byId.remove(s.id());
    }

    private void scheduleSweep(Channel ch) {
        long idle = idleTimeout.toNanos();
        long period = idle == 0 ? TimeUnit.SECONDS.toNanos(1)
                : Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), idle / 4));
        ch.eventLoop().schedule(() -> sweep(ch), period, TimeUnit.NANOSECONDS);
    }

    private void sweep(Channel ch) {
        if (!ch.isOpen()) {
            return;
        }
        long idle = idleTimeout.toNanos();
        if (idle > 0 && !byClient.isEmpty()) {
            long now = System.nanoTime();
            List<UdpSession> ended = new ArrayList<>();
            for (UdpSession s : byClient.values()) {
                if (now - s.lastActivityNanos >= idle) {
                    ended.add(s);
                }
            }
            for (UdpSession s : ended) {
                LOG.debug("session {} idle, ending it", s.id());
                s.close();
            }
        }
        scheduleSweep(ch);
    }

    /**
     * The table is full: ends the session quiet longest, so that a new client is served; a DNS client asks each
     * query from a new port, and would otherwise find the table full of its own finished queries.
     */
    private void endQuietest() {
        UdpSession quietest = null;
        for (UdpSession s : byClient.values()) {
            if (quietest == null || s.lastActivityNanos - quietest.lastActivityNanos < 0) {
                quietest = s;
            }
        }
        if (quietest != null) {
            LOG.debug("session table full ({} sessions), ending session {}, the quietest", byClient.size(),
                    quietest.id());
            quietest.close();
        }
    }

    /** Reads client datagrams and hands each to its session, starting one for a new client address and port. */
    private final class ListenerHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            listener = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket packet)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            InetSocketAddress sender = packet.sender();
            ByteBuf data = packet.content();
            UdpSession session = byClient.get(sender);
            if (session == null) {
                if (byClient.size() >= selector.limits().maxConnections()) {
                    endQuietest();
                }
                session = new UdpSession(UdpRelay.this, ids.incrementAndGet(), sender);
                byClient.put(sender, session);
                byId.put(session.id(), session);
                if (!session.start()) {
                    data.release();
                    return;
                }
            }
            session.fromClient(data);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A UDP socket reports errors of earlier sends (an unreachable client, say); the listener carries on.
            LOG.debug("udp listener: {}", cause.toString());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (listener != ctx.channel()) {
                return; // a listener replaced by a new one: its sessions ended when it was closed
            }
            for (UdpSession s : new ArrayList<>(byClient.values())) {
                s.close();
            }
        }
    }
}
