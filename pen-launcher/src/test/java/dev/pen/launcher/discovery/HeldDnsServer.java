package dev.pen.launcher.discovery;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A DNS server on a loopback UDP port, made of Netty's DNS codec, that answers every A question with
 * {@code 127.0.0.9} (time to live 60) and every other question with no record, but holds its first answer until
 * {@link #release()}: a test can do something to the asker while that answer is on its way. Stopped by
 * {@link #close()}.
 */
final class HeldDnsServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final CountDownLatch firstAsked = new CountDownLatch(1);
    private final Channel channel;
    /** The first query while it is held; touched on the channel's loop only. */
    private DatagramDnsQuery held;
    private boolean released;

    HeldDnsServer() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Answers());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Waits until the first question has come in. */
    boolean awaitFirstQuestion() throws InterruptedException {
        return firstAsked.await(10, TimeUnit.SECONDS);
    }

    /** Lets the first answer go. */
    void release() {
        channel.eventLoop().execute(() -> {
            released = true;
            if (held != null) {
                answer(held);
                held.release();
                held = null;
            }
        });
    }

    private final class Answers extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            if (!released && held == null) {
                held = query.retain();
                firstAsked.countDown();
            } else {
                answer(query);
            }
        }
    }

    /** Its question echoed, and one A record when it asked for A. */
    private void answer(DatagramDnsQuery query) {
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
        response.addRecord(DnsSection.QUESTION, question);
        if (question.type() == DnsRecordType.A) {
            response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, 60,
                    Unpooled.wrappedBuffer(new byte[] {127, 0, 0, 9})));
        }
        channel.writeAndFlush(response);
    }

    @Override
    public void close() throws InterruptedException {
        channel.eventLoop().submit(() -> {
            if (held != null) {
                held.release();
                held = null;
            }
        }).sync();
        channel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
