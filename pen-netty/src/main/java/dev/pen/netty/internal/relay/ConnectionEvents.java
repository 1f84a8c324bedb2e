package dev.pen.netty.internal.relay;

import dev.pen.api.ConnectionLog;
import dev.pen.netty.internal.select.BackendSlot;
import dev.pen.netty.internal.select.ServerSelector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one place where what happens to a TCP connection or a UDP session is told: to the {@link ConnectionLog}
 * listeners, to the selector (and through it the strategy), and to the balancer-wide counters, which are read
 * by statistics and metrics. Called on the connection's own event loop.
 */
public final class ConnectionEvents {
    /** Why a client was closed without a backend, counted apart. */
    public enum Outcome {
        /** Nothing took the client: denied, every server full or blacklisted, or none at all. */
        REFUSED,
        /** Every server tried failed to connect. */
        FAILED
    }

    private final ServerSelector selector;
    private final ConnectionLog[] logs;
    private final ClientDataLogs dataLogs;
    /** The listeners that may want every byte relayed (pen's traffic dumps); usually none. */
    private final ConnectionLog[] byteLogs;
    private final LongAdder relayed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    public ConnectionEvents(ServerSelector selector, List<ConnectionLog> logs) {
        this.selector = selector;
        this.logs = logs.toArray(new ConnectionLog[0]);
        this.dataLogs = new ClientDataLogs(logs);
        this.byteLogs = logs.stream().filter(ConnectionLog::mayWantRelayedBytes).toArray(ConnectionLog[]::new);
    }

    ServerSelector selector() {
        return selector;
    }

    ClientDataLogs dataLogs() {
        return dataLogs;
    }

    // ---- events -----------------------------------------------------------------------------------------------

    public void accepted(ConnectionFigures c) {
        for (ConnectionLog log : logs) {
            log.accepted(c);
        }
    }

    public void backendChosen(ConnectionFigures c, int index) {
        for (ConnectionLog log : logs) {
            log.backendChosen(c, index);
        }
    }

    /** The connect to the route's server failed: the selector blacklists it, then the listeners hear of it. */
    public void connectFailed(ConnectionFigures c, Throwable cause) {
        int index = c.route.current();
        selector.failed(c.route, "connect failed: " + (cause == null ? "unknown" : cause.getMessage()));
        for (ConnectionLog log : logs) {
            log.connectFailed(c, index, cause);
        }
    }

    /** The connection to the route's server is established. */
    public void connected(ConnectionFigures c) {
        selector.connected(c.route);
        c.counted = c.route.slot();
        relayed.increment();
        for (ConnectionLog log : logs) {
            log.connected(c);
        }
    }

    /** The client is closed without a backend; counted once, under {@code outcome}. */
    public void refused(ConnectionFigures c, Outcome outcome, String reason) {
        (outcome == Outcome.FAILED ? failed : refused).increment();
        for (ConnectionLog log : logs) {
            log.refused(c, reason);
        }
    }

    /** The connection ended: its server's count goes down and the strategy and listeners hear of it. */
    public void closed(ConnectionFigures c) {
        c.markClosed();
        BackendSlot slot = c.counted;
        if (slot != null) {
            selector.closed(slot, c.durationNanos(), c.bytesFromClient + c.bytesToClient);
        }
        for (ConnectionLog log : logs) {
            log.closed(c);
        }
    }

    /** The client sent {@code data}: its first line goes to the listeners that want it now. */
    public void clientData(ConnectionFigures c, ByteBuf data) {
        if (dataLogs.any() && data.isReadable()) {
            dataLogs.deliver(c, data);
        }
    }

    /** {@code data} is being passed on, either way: a copy goes to the listeners that want every byte now. */
    public void relayed(ConnectionFigures c, boolean fromClient, ByteBuf data) {
        if (byteLogs.length == 0) {
            return;
        }
        for (ConnectionLog log : byteLogs) {
            if (log.wantsRelayedBytes()) {
                log.relayed(c, fromClient, ByteBufUtil.getBytes(data));
            }
        }
    }

    /** True when some listener wants every byte relayed now (then nothing may bypass the relay). */
    public boolean relayedBytesWantedNow() {
        for (ConnectionLog log : byteLogs) {
            if (log.wantsRelayedBytes()) {
                return true;
            }
        }
        return false;
    }

    /** {@code n} bytes went from the client to the backend. */
    public void countFromClient(ConnectionFigures c, int n) {
        c.bytesFromClient += n;
        bytesIn.add(n);
        c.route.addBytesFromClient(n);
        c.counted.live().addBytesToBackend(n);
    }

    /** {@code n} bytes went from the backend to the client. */
    public void countToClient(ConnectionFigures c, int n) {
        c.bytesToClient += n;
        bytesOut.add(n);
        c.route.addBytesToClient(n);
        c.counted.live().addBytesFromBackend(n);
    }

    // ---- figures ----------------------------------------------------------------------------------------------

    /** Client connections (or UDP sessions) that reached a backend. */
    public long relayed() {
        return relayed.sum();
    }

    /** Clients closed with no backend to try. */
    public long refused() {
        return refused.sum();
    }

    /** Clients closed after every backend tried failed. */
    public long failed() {
        return failed.sum();
    }

    /** Bytes from clients to backends. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Bytes from backends to clients. */
    public long bytesOut() {
        return bytesOut.sum();
    }
}
