package dev.pen.netty.internal.relay;

import dev.pen.netty.internal.transport.NativeSplice;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;

/**
 * One direction of a {@link RelayConnection} moved by the kernel from socket to socket (epoll's splice), a chunk of
 * {@link RelayConnection#SPLICE_CHUNK} at a time: each finished chunk is counted like a read, and the next is asked
 * for. Runs on the connection's event loop.
 */
final class SplicedDirection implements ChannelFutureListener {
    private final ConnectionEvents events;
    private final RelayConnection connection;
    private final Channel from;
    private final Channel to;
    private final boolean fromClient;

    SplicedDirection(ConnectionEvents events, RelayConnection connection, Channel from, Channel to,
            boolean fromClient) {
        this.events = events;
        this.connection = connection;
        this.from = from;
        this.to = to;
        this.fromClient = fromClient;
    }

    void request() {
        if (from.isActive() && to.isActive()) {
            NativeSplice.spliceTo(from, to, RelayConnection.SPLICE_CHUNK).addListener(this);
        }
    }

    @Override
    public void operationComplete(ChannelFuture f) {
        if (!f.isSuccess()) {
            // The side written to closed (the connection is closing; its channels report why), or the side read
            // from failed: a reset is reported here only, and epoll then ends that input as if the peer had
            // half-closed. That side is closed, which ends the connection as a reset outside a splice does.
            if (from.isOpen() && to.isActive()) {
                from.close();
            }
            return;
        }
        count(RelayConnection.SPLICE_CHUNK);
        request();
    }

    /** The bytes of the request in progress not moved yet. */
    int unfilled() {
        return NativeSplice.unfilled(from);
    }

    /** The input ended: counts the part of the last request that was filled. */
    void inputEnded() {
        int unfilled = unfilled();
        if (unfilled >= 0 && unfilled < RelayConnection.SPLICE_CHUNK) {
            count(RelayConnection.SPLICE_CHUNK - unfilled);
        }
    }

    private void count(int n) {
        if (fromClient) {
            events.countFromClient(connection, n);
        } else {
            events.countToClient(connection, n);
        }
    }
}
