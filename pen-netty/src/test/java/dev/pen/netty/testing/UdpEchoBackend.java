package dev.pen.netty.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process UDP backend on 127.0.0.1 with an OS-chosen port that answers each datagram with
 * {@code name sender-port } followed by the datagram's bytes, so a test sees which backend answered and from which
 * upstream port the balancer sent.
 */
public final class UdpEchoBackend implements AutoCloseable {
    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final AtomicInteger datagrams = new AtomicInteger();

    public UdpEchoBackend(String name) {
        this.name = name;
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        datagrams.incrementAndGet();
                        ByteBuf reply = Unpooled.buffer();
                        reply.writeCharSequence(name + " " + packet.sender().getPort() + " ", StandardCharsets.US_ASCII);
                        reply.writeBytes(packet.content());
                        ctx.writeAndFlush(new DatagramPacket(reply, packet.sender()));
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** pen's server spec for this backend. */
    public String spec() {
        return "127.0.0.1:" + port();
    }

    /** Datagrams received so far. */
    public int datagrams() {
        return datagrams.get();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
