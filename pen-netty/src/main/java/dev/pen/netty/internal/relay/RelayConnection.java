package dev.pen.netty.internal.relay;

import dev.pen.api.ProxyProtocol;
import dev.pen.netty.internal.proxy.ClientAddresses;
import dev.pen.netty.internal.proxy.ProxyHeaderWriter;
import dev.pen.netty.internal.relay.ConnectionEvents.Outcome;
import dev.pen.netty.internal.select.BackendSlot;
import dev.pen.netty.internal.transport.ChosenTransport;
import dev.pen.netty.internal.transport.IoUringHangup;
import dev.pen.netty.internal.transport.LocalErrors;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed connection: the client channel, the backend channel once connected, the selection route, and the
 * figures listeners read. Every method runs on the client channel's event loop, which owns both channels, so
 * nothing here is locked; figures read from other threads may lag by one read.
 */
public final class RelayConnection extends ConnectionFigures implements ChannelFutureListener {
    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);

    private final RelayContext context;
    private final ConnectionEvents events;
    private final Channel client;
    private Channel backend;
    private boolean clientEof;
    private boolean backendEof;
    private boolean clientClosed;
    private boolean started;
    private boolean finished;
    private java.util.ArrayDeque<ByteBuf> early;
    private ConnectionTimeouts timeouts;
    /** pen's tcp_fastclose as it was when this client was accepted. */
    private final dev.pen.api.FastClose fastClose;
    /** The client and the address it reached, as a trusted PROXY header names them; set once, at start. */
    private volatile ClientAddresses addresses;
    /** The PROXY header the backend connection being made starts with. */
    private ProxyProtocol proxyHeader = ProxyProtocol.OFF;

    /** Bytes a direction relays by copying before it may switch to splice: short exchanges stay exact. */
    static final int SPLICE_AFTER = 64 * 1024;
    /** Bytes per splice request; figures advance by this much, and a last partial step is not counted. */
    static final int SPLICE_CHUNK = 64 * 1024;

    private final boolean spliceable;
    /** io_uring, where a reset may go unreported after a read batch (see {@link IoUringHangup}). */
    private final boolean ioUring;
    private SplicedDirection clientToBackend;
    private SplicedDirection backendToClient;

    RelayConnection(RelayContext context, Channel client, boolean spliceable) {
        super(context.nextId());
        this.context = context;
        this.events = context.events();
        this.client = client;
        this.spliceable = spliceable;
        this.ioUring = context.transport().kind() == dev.pen.api.Transport.IO_URING;
        this.fastClose = context.fastClose();
    }

    // ---- ConnectionInfo ---------------------------------------------------------------------------------------

    @Override
    public SocketAddress clientAddress() {
        ClientAddresses a = addresses;
        return a != null ? a.source() : client.remoteAddress();
    }

    /** The client channel, for closing the connection from another thread. */
    public Channel clientChannel() {
        return client;
    }

    @Override
    public int clientDescriptor() {
        return ChosenTransport.descriptor(client);
    }

    @Override
    public int backendDescriptor() {
        Channel b = backend;
        return b == null ? -1 : ChosenTransport.descriptor(b);
    }

    /** The backend channel, or {@code null} before the first connect; for tests in this package. */
    Channel backendChannel() {
        return backend;
    }

    /** True while the backend side is not being read because the client cannot take more. */
    boolean backendReadingPaused() {
        Channel b = backend;
        return b != null && counted != null && !b.config().isAutoRead();
    }

    /** Bytes waiting in this connection's outbound buffers, both sides; call on the event loop. */
    long bufferedBytes() {
        return ClosingFlush.pending(client) + (backend == null ? 0 : ClosingFlush.pending(backend));
    }

    /** Whether the client has sent a byte, relayed or held until the backend is connected. */
    boolean clientSentAnything() {
        return bytesFromClient > 0 || early != null;
    }

    /** A figure that grows whenever a byte moves either way, spliced ones included. */
    long progress() {
        long n = bytesFromClient + bytesToClient;
        return n - unfilled(clientToBackend) - unfilled(backendToClient);
    }

    private static long unfilled(SplicedDirection s) {
        return s == null ? 0 : s.unfilled();
    }

    // ---- life -------------------------------------------------------------------------------------------------

    /** The client was accepted: choose a server and connect to it. */
    void start() {
        started = true;
        addresses = ClientAddresses.of(client);
        context.opened(this);
        events.accepted(this);
        timeouts = ConnectionTimeouts.start(this, context.timeouts());
        SocketAddress remote = addresses.source();
        BackendSlot slot;
        if (remote instanceof InetSocketAddress inet) {
            slot = context.selector().select(route, inet.getAddress(), inet.getPort());
        } else {
            slot = context.selector().select(route, null, 0);
        }
        if (slot == null) {
            refuse(Outcome.REFUSED, "no server available");
        } else {
            connect(slot);
        }
    }

    private void connect(BackendSlot slot) {
        events.backendChosen(this, slot.index());
        proxyHeader = context.proxy().sendTo(slot.backend());
        Channel ch;
        try {
            ch = context.newBackendChannel(slot.address());
        } catch (io.netty.channel.ChannelException e) {
            connectFailed(e); // no socket could be made: out of descriptors, say
            return;
        }
        ch.config().setAutoRead(false);
        context.addBackendHandlers(ch, client, this);
        backend = ch;
        context.gate().connectStarted();
        context.registerAndConnect(client.eventLoop(), ch, slot.address(), client.remoteAddress(), this);
    }

    /** The backend connect finished (this object is the listener, so no listener is made per connect). */
    @Override
    public void operationComplete(ChannelFuture f) {
        connectDone(f);
    }

    private void connectDone(ChannelFuture f) {
        context.gate().connectEnded();
        if (!f.isSuccess()) {
            connectFailed(f.cause());
            return;
        }
        events.connected(this);
        if (clientClosed) {
            backend.close();
            return;
        }
        context.configure(backend);
        ProxyHeaderWriter.write(backend, proxyHeader, addresses);
        if (early != null) {
            for (ByteBuf data; (data = early.poll()) != null; ) {
                fromClient(data);
            }
            early = null;
            backend.flush();
        }
        if (clientEof && fastClose.onClientEnd()) {
            closeBoth();
            return;
        }
        if (clientEof) {
            ClosingFlush.shutdownOutputAfterFlush(backend, backendToClient != null);
        }
        backend.config().setAutoRead(true);
        if (!clientEof) {
            // epoll drops a socket whose input has ended from its interest set: it must not be read again.
            client.config().setAutoRead(true);
        }
    }

    private void connectFailed(Throwable cause) {
        backend = null;
        if (LOG.isDebugEnabled()) {
            LOG.debug("connection {}: server {} failed: {}", id(), route.current(), cause.toString());
        }
        if (LocalErrors.isLocal(cause)) {
            // This machine is out of descriptors or ports: the server is not to blame, and the next would fail alike.
            if (clientClosed) {
                finish();
            } else {
                refuse(Outcome.FAILED, "can't connect to a server now: " + cause.getMessage());
            }
            return;
        }
        events.connectFailed(this, cause);
        if (clientClosed) {
            finish();
            return;
        }
        BackendSlot next = context.selector().failover(route);
        if (next == null) {
            refuse(Outcome.FAILED, "every server failed");
        } else {
            connect(next);
        }
    }

    /**
     * The client sent a PROXY header it may not send, a malformed one, or none where one is required: closed and
     * counted. A client refused before it started (a trusted one) is told as accepted first, as every refusal is.
     */
    void refuseProxyHeader(String reason) {
        context.countProxyRefused();
        if (!started) {
            started = true;
            context.opened(this);
            events.accepted(this);
        }
        refuse(Outcome.REFUSED, reason);
    }

    private void refuse(Outcome outcome, String reason) {
        events.refused(this, outcome, reason);
        client.close();
    }

    // ---- relay, called by the two handlers --------------------------------------------------------------------

    void fromClient(ByteBuf data) {
        if (counted == null) {
            // Native transports may read once on a peer's half-close before reading is turned on: hold the
            // bytes until the backend is connected.
            if (early == null) {
                early = new java.util.ArrayDeque<>(2);
            }
            early.add(data);
            return;
        }
        events.clientData(this, data);
        events.relayed(this, true, data);
        events.countFromClient(this, data.readableBytes());
        backend.write(data, backend.voidPromise());
        if (spliceable && clientToBackend == null && bytesFromClient >= SPLICE_AFTER && mayStartSplice()) {
            clientToBackend = new SplicedDirection(events, this, client, backend, true);
            clientToBackend.request();
        }
    }

    private boolean mayStartSplice() {
        return counted != null && backend.isActive() && !ChosenTransport.isUnix(backend.remoteAddress())
                && !ChosenTransport.isUnix(client.localAddress()) && !events.dataLogs().wantedNow()
                && !events.relayedBytesWantedNow();
    }

    void clientReadComplete() {
        if (backend != null) {
            backend.flush();
        }
        if (ioUring && !clientEof && IoUringHangup.resetUnread(client)) {
            LOG.debug("connection {}: client reset", id());
            client.close();
        }
    }

    void fromBackend(ByteBuf data) {
        events.relayed(this, false, data);
        events.countToClient(this, data.readableBytes());
        client.write(data, client.voidPromise());
        if (spliceable && backendToClient == null && bytesToClient >= SPLICE_AFTER && mayStartSplice()) {
            backendToClient = new SplicedDirection(events, this, backend, client, false);
            backendToClient.request();
        }
    }

    void backendReadComplete() {
        client.flush();
        if (ioUring && !backendEof && IoUringHangup.resetUnread(backend)) {
            LOG.debug("connection {}: server reset", id());
            backend.close(); // as a reset read on other transports: the client gets what arrived, then its end
        }
    }

    /** A side became writable or stopped being so: read the other side only while this one can take more. */
    void clientWritabilityChanged() {
        if (backend != null && backend.isActive() && !backendEof) {
            backend.config().setAutoRead(client.isWritable());
        }
    }

    void backendWritabilityChanged() {
        if (backend != null && counted != null && !clientEof && client.isActive()) {
            client.config().setAutoRead(backend.isWritable());
        }
    }

    void clientInputShutdown() {
        clientEof = true;
        if (clientToBackend != null) {
            clientToBackend.inputEnded();
        }
        if (backendEof || (fastClose.onClientEnd() && counted != null)) {
            // Both directions are done (or pen's tcp_fastclose says not to wait for the other): closing sends
            // the last FIN, no half-close is needed first.
            closeBoth();
        } else if (backend != null && backend.isActive() && counted != null) {
            ClosingFlush.shutdownOutputAfterFlush(backend, backendToClient != null);
        }
    }

    void backendInputShutdown() {
        backendEof = true;
        if (backendToClient != null) {
            backendToClient.inputEnded();
        }
        if (clientEof || fastClose.onServerEnd()) {
            closeBoth();
        } else {
            ClosingFlush.shutdownOutputAfterFlush(client, clientToBackend != null);
        }
    }

    void clientInactive() {
        clientClosed = true;
        if (!started) {
            context.gate().release(); // a TLS client that left during its handshake
            return;
        }
        if (backend == null) {
            finish();
        } else if (backend.isActive()) {
            ClosingFlush.closeOnFlush(backend);
        } else if (counted != null || !backend.isOpen()) {
            finish();
        }
        // Otherwise the backend connect is still in progress; it closes the backend when it completes.
    }

    void backendInactive() {
        if (counted == null) {
            return; // a failed connect: failover or refusal is handled by connectDone
        }
        ClosingFlush.closeOnFlush(client);
        if (clientClosed) {
            finish();
        }
    }

    /** Closes both sides once what was written to them is flushed; call on the event loop. */
    public void closeAfterFlush() {
        closeBoth();
    }

    private void closeBoth() {
        ClosingFlush.closeOnFlush(client);
        if (backend != null) {
            ClosingFlush.closeOnFlush(backend);
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        if (backend != null && backend.isOpen()) {
            backend.close();
            return; // finishes when the backend is inactive
        }
        finished = true;
        if (timeouts != null) {
            timeouts.cancel();
        }
        if (early != null) {
            early.forEach(ByteBuf::release);
            early = null;
        }
        context.ended(this);
        events.closed(this);
    }
}
