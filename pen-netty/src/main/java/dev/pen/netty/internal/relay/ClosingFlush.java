package dev.pen.netty.internal.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ending one side of a relayed connection after what was written to it is flushed: a half-close, or a close. A
 * close waits for its flush only while the flush moves: a peer that takes no byte for {@link #STALL_NANOS} is
 * closed with its bytes unsent, so a client that stopped reading cannot hold its slot after its server went.
 */
final class ClosingFlush implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClosingFlush.class);
    /** How long a closing flush may stand still. */
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final ChannelFutureListener SHUTDOWN_OUTPUT = f -> {
        if (f.isSuccess()) {
            shutdownOutput(f.channel());
        }
    };

    private final Channel channel;
    private final ChannelFuture flushed;
    private long pending;
    private ScheduledFuture<?> check;

    private ClosingFlush(Channel channel, ChannelFuture flushed) {
        this.channel = channel;
        this.flushed = flushed;
        this.pending = pending(channel);
    }

    /** Closes {@code ch} once what was written to it is flushed, or once its flush has stood still too long. */
    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ChannelFuture f = ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            if (!f.isDone()) {
                ClosingFlush closing = new ClosingFlush(ch, f);
                closing.schedule();
                // Nearly every flush ends in time: its check leaves the event loop's queue with it, rather than
                // every closed connection's channel staying referenced there for the whole stall time.
                f.addListener(done -> closing.check.cancel(false));
            }
        } else if (ch.isOpen()) {
            ch.close();
        }
    }

    /**
     * Half-closes {@code ch} once what was written to it is flushed. The other side of {@code ch} has ended
     * already, so the end of {@code ch}'s own input ends the connection: the channel may then simply close,
     * which spares the transport a shutdown of its input.
     */
    static void shutdownOutputAfterFlush(Channel ch, boolean spliced) {
        if (ch.isActive() && ch instanceof DuplexChannel) {
            if (!spliced) {
                // A spliced input keeps the end-of-input event: the last part of its splice is counted there.
                ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
            }
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(SHUTDOWN_OUTPUT);
        }
    }

    /**
     * Sends the FIN of {@code ch}, whose writes are all flushed. A native channel's socket is shut down directly:
     * the channel's own {@code shutdownOutput()} builds an exception with its stack trace on every call (to fail
     * writes that may still be queued, here none), which is a measurable part of a connection's cost. The channel
     * reads its output state from the socket, so it sees the shutdown all the same.
     */
    static void shutdownOutput(Channel ch) {
        if (ch instanceof UnixChannel unix && unix.fd() instanceof Socket socket && ch.isActive()) {
            try {
                socket.shutdown(false, true);
            } catch (IOException | NotYetConnectedException e) {
                // The connection is gone already (reset by the peer, say), where the channel's own shutdown would
                // only fail its promise: close it, as its read would on learning the same.
                ch.close();
            }
        } else {
            ((DuplexChannel) ch).shutdownOutput();
        }
    }

    private void schedule() {
        check = channel.eventLoop().schedule(this, STALL_NANOS, TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
        if (flushed.isDone() || !channel.isOpen()) {
            return;
        }
        long now = pending(channel);
        if (now < pending) {
            pending = now;
            schedule();
            return;
        }
        LOG.debug("{}: {} bytes not taken in {} s, closing without them", channel.remoteAddress(), now,
                TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS));
        channel.close();
    }

    static long pending(Channel ch) {
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }
}
