package dev.pen.netty.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process TCP backend on 127.0.0.1 with an OS-chosen port: it greets each connection with its name and a
 * newline, then echoes what it reads; when the client shuts its output, it finishes echoing and closes. A read
 * that starts with {@code RST} resets that connection.
 */
public final class NamedBackend implements AutoCloseable {
    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ServerBootstrap bootstrap;
    private final String host;
    private final int port;
    private volatile Channel server;
    private final AtomicInteger accepted = new AtomicInteger();

    public NamedBackend(String name) {
        this(name, "127.0.0.1", 0);
    }

    /** A backend on {@code host} (a loopback address) and {@code port} (0: one the OS chooses). */
    public NamedBackend(String name, String host, int port) {
        this.name = name;
        this.host = host;
        this.bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new Greeter());
        this.server = bootstrap.bind(host, port).syncUninterruptibly().channel();
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Stops listening and closes every connection, as a crashed server would, keeping its port for later. */
    public void stopListening() {
        server.close().syncUninterruptibly();
        channels.close().syncUninterruptibly();
    }

    /** Listens again on the same port, as a restarted server would. */
    public void listenAgain() {
        server = bootstrap.bind(host, port).syncUninterruptibly().channel();
    }

    /** Greets, echoes, finishes on half-close. Stateless, so one instance serves every connection. */
    @io.netty.channel.ChannelHandler.Sharable
    private final class Greeter extends ChannelInboundHandlerAdapter {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.incrementAndGet();
                        channels.add(ctx.channel());
                        ctx.writeAndFlush(Unpooled.copiedBuffer(name + "\n", StandardCharsets.US_ASCII));
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        if (buf.readableBytes() >= 3 && buf.toString(buf.readerIndex(), 3, StandardCharsets.US_ASCII)
                                .equals("RST")) {
                            // Reset this connection, as a crashing server would.
                            buf.release();
                            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                            ctx.close();
                            return;
                        }
                        ctx.write(msg);
                    }

                    @Override
                    public void channelReadComplete(ChannelHandlerContext ctx) {
                        ctx.flush();
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        if (evt instanceof ChannelInputShutdownEvent) {
                            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
                                    .addListener(f -> ((DuplexChannel) ctx.channel()).shutdownOutput());
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** pen's server spec for this backend. */
    public String spec() {
        return "127.0.0.1:" + port();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Connections open now. */
    public int open() {
        return (int) channels.stream().filter(Channel::isActive).count();
    }

    /** Stops listening and closes every connection, as a crashed server would. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        channels.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
