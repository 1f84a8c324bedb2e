package dev.pen.launcher.admin;

import dev.pen.launcher.control.ControlHost;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The admin listener of {@code --admin [host:]port}: HTTP/1.1 on a small event loop of its own, so that a slow
 * scrape never holds up the relay. Serves {@code /metrics} (Prometheus text from the balancer's registry),
 * {@code /status.json} and {@code /} (see {@link StatusDocuments}); clients the control ACL denies are closed
 * without an answer, as on the control port.
 */
public final class AdminServer implements AutoCloseable {
    /** The largest request line, header block and body taken; a bigger one is answered with an error and closed. */
    static final int MAX_LINE = 4096;
    static final int MAX_HEADERS = 8192;
    static final int MAX_BODY = 4096;
    /** Admin connections open at once; more are closed at once. */
    static final int MAX_CONNECTIONS = 64;
    /** A connection that sends nothing for this long is closed. */
    static final int IDLE_SECONDS = 30;

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param permitted whether a client address may connect (the control ACL at the time of its connect)
     * @throws IllegalStateException when the address cannot be bound or its host is unknown, naming the cause
     */
    public static AdminServer open(AdminAddress address, PrometheusMeterRegistry registry, ControlHost host,
            Predicate<InetAddress> permitted) {
        InetSocketAddress bindTo;
        try {
            bindTo = new InetSocketAddress(InetAddress.getByName(address.host()), address.port());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unknown host " + address.host());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("pen-admin", true),
                NioIoHandler.newFactory());
        AtomicInteger open = new AtomicInteger();
        AdminHandler handler = new AdminHandler(registry, host);
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        InetAddress peer = ch.remoteAddress().getAddress();
                        if (!permitted.test(peer)) {
                            host.debug(1, "admin port: not from there: " + peer.getHostAddress());
                            ch.close();
                            return;
                        }
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            host.debug(1, "admin port: " + MAX_CONNECTIONS + " connections open, closing another");
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS),
                                new HttpServerCodec(MAX_LINE, MAX_HEADERS, MAX_BODY),
                                new HttpObjectAggregator(MAX_BODY), handler);
                    }
                });
        ChannelFuture bound = bootstrap.bind(bindTo).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
            throw new IllegalStateException(String.valueOf(bound.cause().getMessage()), bound.cause());
        }
        return new AdminServer(group, bound.channel());
    }

    /** The address bound. */
    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
