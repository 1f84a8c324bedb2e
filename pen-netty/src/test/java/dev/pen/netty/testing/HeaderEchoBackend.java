package dev.pen.netty.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * An in-process HTTP/1.1 server on 127.0.0.1 with an OS-chosen port that answers every request with a text body:
 * its request line, its headers as {@code name: value} lines in the order received, and the length and CRC32 of
 * the request body it read ({@code body-length: N}, {@code body-crc: X}). Keep-alive and pipelining as HTTP/1.1.
 */
public final class HeaderEchoBackend implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;
    private final AtomicInteger requests = new AtomicInteger();

    public HeaderEchoBackend() {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new Echo());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    private final class Echo extends SimpleChannelInboundHandler<HttpObject> {
        private final StringBuilder text = new StringBuilder();
        private final CRC32 crc = new CRC32();
        private long length;
        private boolean keepAlive;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest r) {
                text.setLength(0);
                crc.reset();
                length = 0;
                keepAlive = HttpUtil.isKeepAlive(r);
                text.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.protocolVersion())
                        .append('\n');
                for (Map.Entry<String, String> h : r.headers()) {
                    text.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
                }
            }
            if (msg instanceof HttpContent c) {
                ByteBuf content = c.content();
                length += content.readableBytes();
                crc.update(content.nioBuffer());
            }
            if (msg instanceof LastHttpContent) {
                requests.incrementAndGet();
                text.append("body-length: ").append(length).append('\n');
                text.append("body-crc: ").append(Long.toHexString(crc.getValue())).append('\n');
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
                HttpUtil.setContentLength(response, response.content().readableBytes());
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
                if (!keepAlive) {
                    response.headers().set(HttpHeaderNames.CONNECTION, "close");
                    ctx.writeAndFlush(response).addListener(f -> ctx.close());
                } else {
                    ctx.writeAndFlush(response);
                }
            }
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

    /** Requests answered so far. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        channels.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
