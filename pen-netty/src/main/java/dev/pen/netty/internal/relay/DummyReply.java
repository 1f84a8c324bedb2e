package dev.pen.netty.internal.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * pen's {@code dummy}: the balancer is the server. A client's first bytes get pen's fixed reply and the connection
 * closes once it is written; a client that ends its stream without a byte is closed. No server is chosen, and the
 * connection is neither logged nor in the client table; it holds a slot of -x until it closes, and the first byte
 * timeout applies to it.
 */
final class DummyReply extends ChannelInboundHandlerAdapter {
    /** pen 0.34.1's reply, byte for byte. */
    static final byte[] REPLY = ("HTTP/1.1 200 OK\r\nContent-Length: 15\r\nContent-Type: text/html\r\n\r\n"
            + "Ulric was here.").getBytes(StandardCharsets.US_ASCII);

    private final RelayContext context;
    private boolean answered;
    private ScheduledFuture<?> silence;

    DummyReply(RelayContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context.configure(ctx.channel());
        long firstByte = context.timeouts().firstByteNanos();
        if (firstByte > 0) {
            silence = ctx.executor().schedule(() -> {
                if (!answered) {
                    ctx.close();
                }
            }, firstByte, TimeUnit.NANOSECONDS);
        }
        ctx.channel().config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean data = msg instanceof ByteBuf buf && buf.isReadable();
        ReferenceCountUtil.release(msg);
        if (data && !answered) {
            answered = true;
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(REPLY)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !answered) {
            ctx.close();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (silence != null) {
            silence.cancel(false);
        }
        context.gate().release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
