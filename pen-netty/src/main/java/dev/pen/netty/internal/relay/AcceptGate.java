package dev.pen.netty.internal.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * pen's connection table limit (-x): sits on the listener, counts open connections, and turns accepting off at
 * the limit and on again when a connection ends, leaving waiting clients in the kernel's backlog.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private final AtomicInteger open = new AtomicInteger();
    private volatile int max;
    private volatile Channel listener;

    public AcceptGate(int max) {
        this.max = max;
    }

    public void setMax(int newMax) {
        max = newMax;
        update();
    }

    public int open() {
        return open.get();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        listener = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object child) {
        if (open.incrementAndGet() >= max) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelRead(child);
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
        {
            boolean accept = open.get() < max;
            if (l.config().isAutoRead() != accept) {
                l.config().setAutoRead(accept);
            }
        }
    }
}
