package dev.pen.netty.internal.udp;

import dev.pen.netty.internal.relay.ConnectionEvents;
import dev.pen.netty.internal.relay.ConnectionEvents.Outcome;
import dev.pen.netty.internal.select.BackendSlot;
import dev.pen.netty.internal.transport.ChosenTransport;
import dev.pen.netty.internal.transport.LocalErrors;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP session: the datagrams of one client address and port, relayed over one connected upstream socket to
 * the backend chosen for the session's first datagram, and the replies sent back from the listener. Counts as one
 * connection for selection and limits. Everything but the figures runs on the listener's event loop.
 */
public final class UdpSession extends dev.pen.netty.internal.relay.ConnectionFigures {
    private static final Logger LOG = LoggerFactory.getLogger(UdpSession.class);
    /** Datagrams held while the upstream socket is being set up; later ones are dropped, as a full socket would. */
    private static final int MAX_EARLY = 64;

    private final UdpRelay relay;
    private final ConnectionEvents events;
    private final InetSocketAddress client;
    private Channel upstream;
    private ArrayDeque<ByteBuf> early = new ArrayDeque<>(2);
    private boolean closed;
    long lastActivityNanos = acceptedAtNanos();

    UdpSession(UdpRelay relay, long id, InetSocketAddress client) {
        super(id);
        this.relay = relay;
        this.events = relay.events;
        this.client = client;
    }

    // ---- ConnectionInfo ---------------------------------------------------------------------------------------

    @Override
    public SocketAddress clientAddress() {
        return client;
    }

    /** The listener's descriptor: every session's client side is the listener's socket. */
    @Override
    public int clientDescriptor() {
        Channel l = relay.listener;
        return l == null ? -1 : ChosenTransport.descriptor(l);
    }

    @Override
    public int backendDescriptor() {
        Channel u = upstream;
        return u == null || !u.isRegistered() ? -1 : ChosenTransport.descriptor(u);
    }

    // ---- life -------------------------------------------------------------------------------------------------

    /** Chooses a backend and opens the upstream socket; false when no backend takes the client. */
    boolean start() {
        events.accepted(this);
        BackendSlot slot = relay.selector.select(route, client.getAddress(), client.getPort());
        if (slot == null) {
            events.refused(this, Outcome.REFUSED, "no server available");
            close();
            return false;
        }
        connect(slot);
        return true;
    }

    private void connect(BackendSlot slot) {
        events.backendChosen(this, slot.index());
        ChannelFuture f = new Bootstrap()
                .group(relay.listener.eventLoop())
                .channelFactory(relay.upstreams(slot.address()))
                .option(io.netty.channel.ChannelOption.RECVBUF_ALLOCATOR, UdpRelay.datagramAllocator())
                .handler(new UpstreamHandler())
                .connect(slot.address(), relay.localFor(slot.address()));
        upstream = f.channel();
        f.addListener((ChannelFutureListener) this::connectDone);
    }

    private void connectDone(ChannelFuture f) {
        io.netty.channel.EventLoop loop = relay.listener.eventLoop();
        if (!loop.inEventLoop()) {
            // A socket that could not be made fails on Netty's global executor: the session is the listener's.
            loop.execute(() -> connectDone(f));
            return;
        }
        if (closed) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess() && LocalErrors.isLocal(f.cause())) {
            // No socket could be made (out of descriptors or ports): no server is to blame, none is blacklisted.
            LOG.debug("session {}: can't open an upstream socket now: {}", id(), f.cause().toString());
            upstream = null;
            events.refused(this, Outcome.FAILED, "can't connect to a server now: " + f.cause().getMessage());
            close();
            return;
        }
        if (!f.isSuccess()) {
            events.connectFailed(this, f.cause());
            BackendSlot next = relay.selector.failover(route);
            if (next == null) {
                events.refused(this, Outcome.FAILED, "every server failed");
                close();
            } else {
                connect(next);
            }
            return;
        }
        events.connected(this);
        for (ByteBuf data; (data = early.poll()) != null; ) {
            send(data);
        }
        early = null;
        upstream.flush();
    }

    /** A datagram from the client; this session owns {@code data} from now on. */
    void fromClient(ByteBuf data) {
        lastActivityNanos = System.nanoTime();
        events.clientData(this, data);
        if (counted == null) {
            if (early != null && early.size() < MAX_EARLY) {
                early.add(data);
            } else {
                data.release();
            }
            return;
        }
        send(data);
        upstream.flush();
    }

    private void send(ByteBuf data) {
        if (!upstream.isActive() || !upstream.isWritable()) {
            data.release(); // a datagram the socket cannot take now is lost, as the network may lose it
            return;
        }
        events.relayed(this, true, data);
        events.countFromClient(this, data.readableBytes());
        upstream.write(data, upstream.voidPromise());
    }

    private void fromBackend(ByteBuf data) {
        lastActivityNanos = System.nanoTime();
        Channel listener = relay.listener;
        if (!listener.isActive() || !listener.isWritable()) {
            data.release();
            return;
        }
        events.relayed(this, false, data);
        events.countToClient(this, data.readableBytes());
        listener.writeAndFlush(new DatagramPacket(data, client), listener.voidPromise());
    }

    /** Ends the session: closes the upstream socket, frees its slot and tells the listeners. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (upstream != null) {
            upstream.close();
        }
        if (early != null) {
            early.forEach(ByteBuf::release);
            early = null;
        }
        relay.removed(this);
        events.closed(this);
    }

    InetSocketAddress client() {
        return client;
    }

    /** Reads replies from the backend; it runs on the same event loop as the listener. */
    private final class UpstreamHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf b ? b : null;
            if (data == null || closed || counted == null) {
                ReferenceCountUtil.release(msg);
                return;
            }
            fromBackend(data);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof PortUnreachableException && counted != null && !closed) {
                // Nothing listens on the backend's port: blacklist it as a failed connect would, and let the
                // client's next datagram start a session elsewhere.
                LOG.debug("session {}: server {} unreachable", id(), counted.index());
                relay.selector.failed(route, "port unreachable");
                close();
                return;
            }
            LOG.debug("session {}: {}", id(), cause.toString());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == upstream) {
                close();
            }
        }
    }
}
