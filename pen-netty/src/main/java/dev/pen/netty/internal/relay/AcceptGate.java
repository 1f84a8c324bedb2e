package dev.pen.netty.internal.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pen's connection table limit (-x) and its {@code pending_max}: sits on the listener, counts open connections
 * and backend connects in progress, and turns accepting off when either is at its limit and on again when a
 * connection ends or a connect finishes, leaving waiting clients in the kernel's backlog. Turning reading off
 * alone would let a transport finish the batch of accepts it is in: the listener's {@link #allocator()} also ends
 * a batch as soon as it would pass a limit, and otherwise after pen's -m accepts.
 *
 * <p>A connect is counted from when it starts, which on the client's event loop is while the client is handed on;
 * with more than one event loop, one batch of accepts may pass the pending limit by what it holds.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptGate.class);
    /**
     * How long accepting stops after a failed accept (no descriptor left, say): short, so that the listener serves
     * again soon after descriptors free, long enough that retrying costs no CPU worth measuring.
     */
    static final long ACCEPT_PAUSE_MILLIS = 100;
    private final AtomicInteger open = new AtomicInteger();
    private volatile int max;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int maxPending = dev.pen.api.BalancerConfig.DEFAULT_PENDING_CONNECTS;
    /** The transport's usual batches of accepts, whose size is pen's -m; shared by every listener this gate sees. */
    private final ServerChannelRecvByteBufAllocator batches = new ServerChannelRecvByteBufAllocator();
    private volatile Channel listener;
    private volatile ChannelHandlerContext listenerContext;
    /**
     * Clients a transport accepted past the limit (io_uring's multishot accept takes what is queued before its
     * cancel reaches the kernel): held unread and unserved, as the kernel's backlog would hold them, and served
     * first when a slot frees. At most one batch of accepts; only on the listener's event loop.
     */
    private final ArrayDeque<Channel> held = new ArrayDeque<>();
    /** Accepted by the transport in its current batch, not yet passed on; only on the listener's event loop. */
    private int unfired;
    /** Accepting is paused after a failed accept; only on the listener's event loop. */
    private boolean acceptPaused;
    /** A failed accept was reported and no accept has succeeded since; only on the listener's event loop. */
    private boolean acceptFailing;

    public AcceptGate(int max) {
        this.max = max;
        batches.maxMessagesPerRead(dev.pen.api.BalancerConfig.DEFAULT_ACCEPT_BATCH);
        // Accept until the backlog is empty or the batch is full, as pen does: epoll would otherwise end each
        // batch after one accept, taking an accept's descriptor for a short read.
        batches.respectMaybeMoreData(false);
    }

    public void setMax(int newMax) {
        max = newMax;
        update();
    }

    /** pen's {@code pending_max}: the most backend connects in progress before accepting pauses. */
    public void setMaxPending(int newMax) {
        maxPending = newMax;
        update();
    }

    /** pen's -m: the most clients accepted per wakeup, from the listener's next wakeup on. */
    public void setAcceptBatch(int n) {
        batches.maxMessagesPerRead(n);
    }

    /** Backend connects in progress now. */
    public int pending() {
        return pending.get();
    }

    /** A backend connect started. */
    void connectStarted() {
        if (pending.incrementAndGet() >= maxPending) {
            update();
        }
    }

    /** A backend connect finished, well or not. */
    void connectEnded() {
        if (pending.getAndDecrement() >= maxPending) {
            update();
        }
    }

    private boolean full(int unfired) {
        return open.get() + unfired >= max || pending.get() + unfired >= maxPending;
    }

    public int open() {
        return open.get();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        listenerContext = ctx;
        listener = ctx.channel();
    }

    /** What the listener reads with: the transport's usual batches of accepts, ended at the limit. */
    public RecvByteBufAllocator allocator() {
        return new RecvByteBufAllocator() {
            @Override
            public Handle newHandle() {
                return new GatedHandle((RecvByteBufAllocator.ExtendedHandle) batches.newHandle());
            }
        };
    }

    /** The transport's handle, which may go on accepting only while a slot is left for the next client. */
    private final class GatedHandle extends RecvByteBufAllocator.DelegatingHandle
            implements RecvByteBufAllocator.ExtendedHandle {
        GatedHandle(RecvByteBufAllocator.ExtendedHandle usual) {
            super(usual);
        }

        @Override
        public void reset(ChannelConfig config) {
            unfired = 0;
            super.reset(config);
        }

        @Override
        public void incMessagesRead(int accepted) {
            unfired += accepted;
            super.incMessagesRead(accepted);
        }

        @Override
        public boolean continueReading() {
            return !full(unfired) && super.continueReading();
        }

        @Override
        public boolean continueReading(UncheckedBooleanSupplier maybeMore) {
            return !full(unfired) && ((RecvByteBufAllocator.ExtendedHandle) delegate()).continueReading(maybeMore);
        }
    }

    /**
     * A failed accept (out of descriptors, say): accepting pauses for {@link #ACCEPT_PAUSE_MILLIS} and starts again
     * as the connection limit allows. Handled here rather than by the bootstrap's acceptor, which would pause for a
     * second and then turn accepting on whatever the connection limit says. Said once until an accept succeeds.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() != listener) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (!acceptFailing) {
            acceptFailing = true;
            LOG.warn("listener {}: can't accept ({}); retrying every {} ms", ctx.channel().localAddress(),
                    cause.getMessage(), ACCEPT_PAUSE_MILLIS);
        } else {
            LOG.debug("listener {}: can't accept: {}", ctx.channel().localAddress(), cause.toString());
        }
        if (!acceptPaused) {
            acceptPaused = true;
            ctx.channel().config().setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> {
                acceptPaused = false;
                update();
            }, ACCEPT_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object child) {
        acceptFailing = false;
        if (unfired > 0) {
            unfired--;
        }
        if (full(0) || !held.isEmpty()) {
            held.add((Channel) child);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        open.incrementAndGet();
        // Usually starts the client's backend connect at once, on this loop: the limits are then up to date.
        ctx.fireChannelRead(child);
        if (full(0)) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** The listener this gate is on, or {@code null} before one is bound; for tests in this package. */
    Channel listener() {
        return listener;
    }

    /** Clients accepted past the limit and held until a slot frees. */
    public int held() {
        Channel l = listener;
        if (l == null) {
            return 0;
        }
        return l.eventLoop().inEventLoop() ? held.size() : l.eventLoop().submit(held::size).syncUninterruptibly().getNow();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel() == listener) {
            for (Channel c; (c = held.poll()) != null; ) {
                c.unsafe().closeForcibly();
            }
        }
        ctx.fireChannelInactive();
    }

    /** One connection ended. */
    void release() {
        open.decrementAndGet();
        update();
    }

    private void update() {
        Channel l = listener;
        if (l == null) {
            return;
        }
        // Decided on the listener's own thread, so that two threads cannot leave it in the wrong state.
        if (!l.eventLoop().inEventLoop()) {
            l.eventLoop().execute(this::update);
            return;
        }
        ChannelHandlerContext ctx = listenerContext;
        while (!held.isEmpty() && !full(0) && ctx != null) {
            open.incrementAndGet();
            ctx.fireChannelRead(held.poll());
        }
        boolean accept = !full(0) && held.isEmpty() && !acceptPaused;
        if (l.config().isAutoRead() != accept) {
            l.config().setAutoRead(accept);
        }
    }
}
