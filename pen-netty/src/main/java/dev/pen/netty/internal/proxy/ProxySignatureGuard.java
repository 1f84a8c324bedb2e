package dev.pen.netty.internal.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * On a connection from outside the trusted networks, while PROXY headers are accepted from some: a connection
 * whose first bytes are a PROXY header's signature ({@code "PROXY "}, or v2's twelve bytes) is told as
 * {@link ProxyHeaderEvent.Refused}, so that nobody outside those networks can name a client of their choosing.
 * Any other first bytes pass on unchanged and this handler leaves the pipeline; it holds at most eleven bytes,
 * while they could still begin a signature.
 */
public final class ProxySignatureGuard extends ChannelInboundHandlerAdapter {
    private static final byte[] V1 = {'P', 'R', 'O', 'X', 'Y', ' '};
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** What the first bytes of a connection say. */
    enum Verdict {
        /** They are a signature. */
        SIGNATURE,
        /** They cannot begin one. */
        NONE,
        /** They begin one: more are needed. */
        MORE
    }

    private ByteBuf held;
    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf data = in;
        if (held != null) {
            data = ctx.alloc().buffer(held.readableBytes() + in.readableBytes());
            data.writeBytes(held).writeBytes(in);
            held.release();
            held = null;
            in.release();
        }
        switch (verdict(data)) {
            case SIGNATURE -> {
                data.release();
                refused = true;
                String from = ctx.channel().remoteAddress() instanceof InetSocketAddress inet
                        ? inet.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
                ctx.fireUserEventTriggered(new ProxyHeaderEvent.Refused("PROXY header from " + from
                        + ", outside the networks trusted to send one"));
            }
            case MORE -> held = data;
            case NONE -> {
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(data);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (held != null && !ctx.channel().config().isAutoRead()) {
            ctx.read(); // bytes held: the relay is not reading yet, so ask for the rest of the signature
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && !refused) {
            // No more bytes: what is held cannot become a signature.
            ByteBuf rest = held;
            held = null;
            ctx.pipeline().remove(this);
            if (rest != null) {
                ctx.fireChannelRead(rest);
                ctx.fireChannelReadComplete();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    /** Whether the readable bytes of {@code data} are, begin, or cannot begin a PROXY header's signature. */
    static Verdict verdict(ByteBuf data) {
        Verdict v1 = against(V1, data);
        Verdict v2 = against(V2, data);
        if (v1 == Verdict.SIGNATURE || v2 == Verdict.SIGNATURE) {
            return Verdict.SIGNATURE;
        }
        return v1 == Verdict.MORE || v2 == Verdict.MORE ? Verdict.MORE : Verdict.NONE;
    }

    private static Verdict against(byte[] signature, ByteBuf data) {
        int n = Math.min(signature.length, data.readableBytes());
        int from = data.readerIndex();
        for (int i = 0; i < n; i++) {
            if (data.getByte(from + i) != signature[i]) {
                return Verdict.NONE;
            }
        }
        return n == signature.length ? Verdict.SIGNATURE : n == 0 ? Verdict.NONE : Verdict.MORE;
    }
}
