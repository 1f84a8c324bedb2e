package dev.pen.netty.internal.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A trusted client's pipeline front on an embedded channel: Netty's decoder and {@link ProxyHeaderReader}, with a
 * last handler that keeps the events and the bytes passed on. Every buffer is released on {@link #close()}.
 */
final class HeaderReading implements AutoCloseable {
    final EmbeddedChannel channel;
    final List<ProxyHeaderEvent> events = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    private final ByteBuf after = Unpooled.buffer();

    HeaderReading() {
        channel = new EmbeddedChannel();
        channel.pipeline().addLast(ProxyHeaderReader.DECODER, ProxyHeaderReader.newDecoder());
        channel.pipeline().addLast("proxy", new ProxyHeaderReader(TimeUnit.SECONDS.toNanos(60)));
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf b) {
                    after.writeBytes(b);
                }
                io.netty.util.ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ProxyHeaderEvent e) {
                    events.add(e);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
            }
        });
    }

    /** Passes {@code bytes} in as one read, unless the header was already refused (the relay would have closed). */
    void read(byte[] bytes) {
        if (!refused()) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        }
    }

    boolean refused() {
        return !events.isEmpty() && events.get(0) instanceof ProxyHeaderEvent.Refused;
    }

    boolean received() {
        return !events.isEmpty() && events.get(0) == ProxyHeaderEvent.RECEIVED;
    }

    /** The bytes passed on after the header. */
    byte[] after() {
        byte[] b = new byte[after.readableBytes()];
        after.getBytes(after.readerIndex(), b);
        return b;
    }

    ClientAddresses addresses() {
        return ClientAddresses.of(channel);
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        after.release();
    }
}
