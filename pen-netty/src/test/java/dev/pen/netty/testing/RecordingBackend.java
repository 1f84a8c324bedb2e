package dev.pen.netty.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An in-process TCP backend on 127.0.0.1 with an OS-chosen port that speaks first, as smtp and pop3 servers do
 * ({@code ready} and a newline), and keeps every byte each connection sent it, in accept order.
 */
public final class RecordingBackend implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<ByteArrayOutputStream> received = new CopyOnWriteArrayList<>();
    private final Channel server;

    public RecordingBackend() {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new Recorder()).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    @ChannelHandler.Sharable
    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channels.add(ctx.channel());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ctx.channel().attr(io.netty.util.AttributeKey.<ByteArrayOutputStream>valueOf("bytes")).set(bytes);
            received.add(bytes);
            ctx.writeAndFlush(Unpooled.copiedBuffer("ready\n", StandardCharsets.US_ASCII));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            ByteArrayOutputStream bytes = ctx.channel()
                    .attr(io.netty.util.AttributeKey.<ByteArrayOutputStream>valueOf("bytes")).get();
            synchronized (bytes) {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                bytes.writeBytes(b);
            }
            buf.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** pen's server spec for this backend. */
    public String spec() {
        return "127.0.0.1:" + port();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return received.size();
    }

    /** What connection {@code index} (in accept order) has sent so far; nothing before it is accepted. */
    public byte[] received(int index) {
        if (index >= received.size()) {
            return new byte[0];
        }
        ByteArrayOutputStream bytes = received.get(index);
        synchronized (bytes) {
            return bytes.toByteArray();
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        channels.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
