package dev.pen.netty.internal.relay;

import dev.pen.api.Candidate;
import dev.pen.netty.internal.select.BackendLive;
import dev.pen.netty.internal.select.BackendSlot;
import dev.pen.netty.internal.transport.LocalErrors;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pen's idlers: connections to the servers that no client uses, kept open so that the servers see them. Each is
 * opened to the next server round robin that takes new clients (not blacklisted, down, draining or at its maxc),
 * with the balancer's backend socket settings; what a server sends on one is read and dropped; one that closes is
 * opened again. They count in their server's connection figures, as in pen, but not against the client limit.
 *
 * <p>A failed connect is not a client's and does not blacklist the server: the next server is tried at once,
 * and once every server has failed in a row the next attempt waits {@link #FIRST_WAIT_MILLIS}, doubling up to
 * {@link #LAST_WAIT_MILLIS}. A connection the server closes within {@link #SHORT_LIFE_NANOS} counts as a failed
 * one, so that a server that accepts and closes at once is not connected to in a loop.
 *
 * <p>Everything runs on one event loop of the balancer, which owns the state: nothing is locked and nothing
 * blocks. The number open is an atomic, read from any thread.
 */
public final class IdleConnections {
    private static final Logger LOG = LoggerFactory.getLogger(IdleConnections.class);
    static final long SHORT_LIFE_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long FIRST_WAIT_MILLIS = 1000;
    static final long LAST_WAIT_MILLIS = 30_000;

    private final RelayContext context;
    private final EventLoop loop;
    private final AtomicInteger open = new AtomicInteger();
    // Owned by the event loop.
    private final List<Idler> idlers = new ArrayList<>();
    /** The server index from which the next idle connection looks for a server. */
    private int cursor;
    private boolean closed;

    public IdleConnections(RelayContext context, EventLoop loop) {
        this.context = context;
        this.loop = loop;
    }

    /** Opens or closes idle connections until {@code wanted} are kept; returns at once. */
    public void keep(int wanted) {
        run(() -> {
            while (!closed && idlers.size() < wanted) {
                Idler idler = new Idler();
                idlers.add(idler);
                idler.open();
            }
            while (idlers.size() > wanted) {
                idlers.remove(idlers.size() - 1).retire();
            }
        });
    }

    /**
     * The server table changed: an idle connection to a server no longer in it (removed, given another address, or
     * now pen's wildcard address that takes nothing) moves to another server.
     */
    public void serversChanged() {
        run(() -> {
            Map<BackendLive, Boolean> present = new IdentityHashMap<>();
            for (Candidate c : context.selector().table().candidates()) {
                BackendSlot slot = (BackendSlot) c;
                if (!slot.dead()) {
                    present.put(slot.live(), Boolean.TRUE);
                }
            }
            for (Idler idler : idlers) {
                if (idler.server != null && !present.containsKey(idler.server)) {
                    idler.move();
                }
            }
        });
    }

    /** The idle connections open now. */
    public int open() {
        return open.get();
    }

    /** Closes every idle connection and opens none afterwards; waits at most a second for the event loop. */
    public void close() {
        Runnable closeAll = () -> {
            closed = true;
            for (Idler idler : idlers) {
                idler.retire();
            }
            idlers.clear();
        };
        if (loop.inEventLoop()) {
            closeAll.run();
            return;
        }
        try {
            Future<?> done = loop.submit(closeAll);
            done.awaitUninterruptibly(1, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // The event loops are shutting down: their channels close with them.
        }
    }

    private void run(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The event loops are shutting down: nothing is to be opened.
        }
    }

    /** Whether {@code slot} takes an idle connection now: it would take a new client. */
    private static boolean takes(BackendSlot slot) {
        int max = slot.backend().maxConnections();
        return slot.available() && (max == 0 || slot.live().active() < max);
    }

    /**
     * The first server from index {@code from} on, round robin, that takes an idle connection, or null when none
     * does; the round robin goes on after it.
     */
    private BackendSlot nextServer(List<Candidate> servers, int from) {
        for (int pass = 0; pass < 2; pass++) {
            for (Candidate c : servers) {
                boolean inPass = pass == 0 ? c.index() >= from : c.index() < from;
                if (inPass && takes((BackendSlot) c)) {
                    cursor = c.index() + 1;
                    return (BackendSlot) c;
                }
            }
        }
        return null;
    }

    /** One wanted idle connection, through its successive channels. Owned by the event loop. */
    private final class Idler {
        /** The channel connecting or open, or null. */
        private Channel channel;
        /** The server of {@link #channel}. */
        private BackendLive server;
        private int serverIndex;
        private long openedNanos;
        /** Connects that failed (or connections closed at once) in a row, over all servers. */
        private int failuresInRow;
        /** Waits in a row after every server failed, for the growing delay. */
        private int waits;
        private ScheduledFuture<?> retry;
        /** Closed on purpose, to be opened again at once elsewhere. */
        private boolean moving;
        private boolean retired;

        void open() {
            openFrom(cursor);
        }

        /** Opens this connection to the first server from index {@code from} on that takes one. */
        private void openFrom(int from) {
            retry = null;
            if (retired || channel != null) {
                return;
            }
            List<Candidate> servers = context.selector().table().candidates();
            BackendSlot slot = nextServer(servers, from);
            if (slot == null) {
                LOG.debug("idle connection: no server takes one now");
                waitThenOpen();
                return;
            }
            SocketAddress target = slot.address();
            Channel ch;
            try {
                ch = context.newBackendChannel(target);
            } catch (ChannelException e) {
                failed(slot.index(), e);
                return;
            }
            ch.pipeline().addLast("idle", new Drain(this, slot.live()));
            channel = ch;
            server = slot.live();
            serverIndex = slot.index();
            context.registerAndConnect(loop, ch, target, null, f -> connectDone(ch, f));
        }

        private void connectDone(Channel ch, ChannelFuture f) {
            if (f.isSuccess() || ch != channel) {
                return;
            }
            channel = null;
            server = null;
            if (moving) {
                moving = false;
                open();
            } else if (!retired) {
                failed(serverIndex, f.cause());
            }
        }

        /** {@code ch} is connected and counted. */
        void opened(Channel ch) {
            openedNanos = System.nanoTime();
            LOG.debug("idle connection to server {} open", serverIndex);
            if (retired) {
                ch.close();
            }
        }

        /** {@code ch}, once open, closed; its count is already taken back. */
        void closed(Channel ch) {
            if (ch != channel) {
                return;
            }
            channel = null;
            server = null;
            if (retired) {
                return;
            }
            long lived = System.nanoTime() - openedNanos;
            if (moving || lived >= SHORT_LIFE_NANOS) {
                moving = false;
                failuresInRow = 0;
                waits = 0;
                open();
            } else {
                failed(serverIndex, "closed by the server after " + lived / 1_000_000 + " ms");
            }
        }

        /** The connect to server {@code index} failed: the next server at once, or a wait once all failed. */
        private void failed(int index, Object cause) {
            LOG.debug("idle connection to server {} failed: {}", index, cause);
            if (cause instanceof Throwable t && LocalErrors.isLocal(t)) {
                // This machine is short of descriptors or ports: another server would fail alike.
                failuresInRow = 0;
                waitThenOpen();
                return;
            }
            if (++failuresInRow < context.selector().table().candidates().size()) {
                // The server after the one that failed; through the loop's queue rather than by recursion, as a
                // connect may fail at once.
                run(() -> openFrom(index + 1));
            } else {
                failuresInRow = 0;
                waitThenOpen();
            }
        }

        private void waitThenOpen() {
            long delay = Math.min(LAST_WAIT_MILLIS, FIRST_WAIT_MILLIS << Math.min(waits, 5));
            waits++;
            retry = loop.schedule(this::open, delay, TimeUnit.MILLISECONDS);
        }

        /** Closes this connection to reopen it on another server. */
        void move() {
            if (channel != null) {
                moving = true;
                channel.close();
            }
        }

        /** No longer wanted: closed, and not opened again. */
        void retire() {
            retired = true;
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
            if (channel != null) {
                channel.close();
            }
        }
    }

    /**
     * The handler of an idle connection: counts it in its server's figures while it is open, drops what the server
     * sends, and closes on an error.
     */
    private final class Drain extends ChannelInboundHandlerAdapter {
        private final Idler idler;
        private final BackendLive server;

        Drain(Idler idler, BackendLive server) {
            this.idler = idler;
            this.server = server;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            server.connectionOpened();
            open.incrementAndGet();
            idler.opened(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            server.connectionClosed();
            open.decrementAndGet();
            idler.closed(ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("idle connection: {}", cause.toString());
            ctx.close();
        }
    }
}
