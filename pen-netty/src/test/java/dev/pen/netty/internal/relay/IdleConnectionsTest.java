package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.BackendState;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pen's idlers through a real balancer on loopback: idle connections opened round robin to in-process servers,
 * counted in their figures, reopened when a server closes one, drained of what a server sends, never blacklisting
 * a server whose connect fails, following the configuration and closed with the balancer.
 */
class IdleConnectionsTest {
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private Balancer balancer(Consumer<BalancerConfig.Builder> settings, String... servers) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0");
        for (String s : servers) {
            b.backend(s);
        }
        settings.accept(b);
        return keep(NettyBalancer.start(b.build()));
    }

    private static BackendStats stats(Balancer lb, int index) {
        return lb.backend(index).orElseThrow();
    }

    private static void awaitOpen(Balancer lb, int n) {
        Await.value(n + " idle connections open", lb::idleConnections, open -> open == n);
    }

    @ParameterizedTest
    @MethodSource("dev.pen.netty.testing.Transports#available")
    void idleConnectionsGoRoundRobinToTheServersAndCountInTheirFigures(Transport transport) {
        IdleServer a = keep(new IdleServer(0));
        IdleServer b = keep(new IdleServer(0));
        Balancer lb = balancer(c -> c.transport(transport).idleConnections(4), a.spec(), b.spec());

        awaitOpen(lb, 4);
        Await.until("two at each server", () -> a.open() == 2 && b.open() == 2);
        assertThat(stats(lb, 0).activeConnections()).isEqualTo(2);
        assertThat(stats(lb, 1).activeConnections()).isEqualTo(2);
        assertThat(stats(lb, 0).totalConnections()).isEqualTo(2);
        assertThat(lb.activeConnections()).as("no client connection").isZero();
        assertThat(lb.connections()).isEmpty();
    }

    @Test
    void idleConnectionsDoNotCountAgainstTheClientLimit() {
        NamedBackend a = keep(new NamedBackend("a"));
        Balancer lb = balancer(c -> c.idleConnections(3).limits(Limits.DEFAULT.withMaxConnections(1)), a.spec());
        awaitOpen(lb, 3);

        assertThat(Clients.greeting("127.0.0.1", Clients.port(lb.localAddress()))).isEqualTo("a");
        assertThat(a.accepted()).isEqualTo(4);
    }

    @Test
    void anIdleConnectionTheServerClosesIsOpenedAgain() {
        IdleServer a = keep(new IdleServer(0));
        IdleServer b = keep(new IdleServer(0));
        Balancer lb = balancer(c -> c.idleConnections(2), a.spec(), b.spec());
        awaitOpen(lb, 2);
        Await.until("one at each server", () -> a.open() == 1 && b.open() == 1);

        a.closeOne();
        Await.until("a third connection", () -> a.accepted() + b.accepted() == 3);
        awaitOpen(lb, 2);
        Await.until("two open at the servers", () -> a.open() + b.open() == 2);
        Await.until("the figures follow", () -> stats(lb, 0).activeConnections() + stats(lb, 1).activeConnections()
                == 2);
    }

    @Test
    void whatTheServerSendsIsReadAndDropped() {
        // Far more than the socket buffers of both ends hold: the write completes only if it is read.
        int size = 16 * 1024 * 1024;
        IdleServer a = keep(new IdleServer(size));
        Balancer lb = balancer(c -> c.idleConnections(1), a.spec());

        Await.value("the server's " + size + " bytes written", a::delivered, n -> n == 1);
        assertThat(lb.idleConnections()).as("still open").isEqualTo(1);
        assertThat(stats(lb, 0).bytesFromBackend()).as("nothing was relayed to a client").isZero();
    }

    @Test
    void aServerThatRefusesIsNotBlacklistedAndItsIdleConnectionsGoToTheOther() {
        IdleServer live = keep(new IdleServer(0));
        Balancer lb = balancer(c -> c.idleConnections(2), "127.0.0.1:" + Clients.closedPort(), live.spec());

        awaitOpen(lb, 2);
        Await.until("both at the live server", () -> live.open() == 2);
        BackendStats dead = stats(lb, 0);
        assertThat(dead.state()).isEqualTo(BackendState.UP);
        assertThat(dead.blacklistedUntilMillis()).isZero();
        assertThat(dead.connectFailures()).isZero();
        assertThat(dead.activeConnections()).isZero();
    }

    @Test
    void aDrainingServerGetsNone() {
        IdleServer a = keep(new IdleServer(0));
        IdleServer b = keep(new IdleServer(0));
        Balancer lb = balancer(c -> { }, a.spec(), b.spec());
        lb.drainBackend(0, true);
        lb.update(c -> c.toBuilder().idleConnections(3).build());

        awaitOpen(lb, 3);
        Await.until("all at server 1", () -> b.open() == 3);
        assertThat(a.accepted()).isZero();
    }

    @Test
    void anUpdateOpensMoreClosesThemAllAndMovesThemFromARemovedServer() {
        IdleServer a = keep(new IdleServer(0));
        IdleServer b = keep(new IdleServer(0));
        Balancer lb = balancer(c -> c.idleConnections(1), a.spec(), b.spec());
        awaitOpen(lb, 1);

        lb.update(c -> c.toBuilder().idleConnections(4).build());
        awaitOpen(lb, 4);
        Await.until("two at each server", () -> a.open() == 2 && b.open() == 2);

        lb.removeBackend(0);
        Await.until("all four at server 1", () -> a.open() == 0 && b.open() == 4);
        awaitOpen(lb, 4);

        lb.update(c -> c.toBuilder().idleConnections(0).build());
        Await.until("none left at the server", () -> b.open() == 0);
        awaitOpen(lb, 0);
        assertThat(stats(lb, 1).activeConnections()).isZero();
    }

    @Test
    void closingTheBalancerClosesThem() {
        IdleServer a = keep(new IdleServer(0));
        Balancer lb = balancer(c -> c.idleConnections(2), a.spec());
        Await.until("two at the server", () -> a.open() == 2);

        lb.close();
        Await.until("none left at the server", () -> a.open() == 0);
        assertThat(a.accepted()).isEqualTo(2);
    }

    /**
     * A server on 127.0.0.1 that keeps its connections, sends each {@code payload} bytes when it is accepted (none
     * for 0), and can close one of them.
     */
    private static final class IdleServer implements AutoCloseable {
        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final List<Channel> channels = new CopyOnWriteArrayList<>();
        private final AtomicInteger accepted = new AtomicInteger();
        private final AtomicInteger delivered = new AtomicInteger();
        private final Channel server;

        IdleServer(int payload) {
            server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new Keeper(payload)).bind("127.0.0.1", 0).syncUninterruptibly().channel();
        }

        /** Keeps each connection, sends it the payload, drops what it reads. */
        @Sharable
        private final class Keeper extends ChannelInboundHandlerAdapter {
            private final int payload;

            Keeper(int payload) {
                this.payload = payload;
            }

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                accepted.incrementAndGet();
                channels.add(ctx.channel());
                if (payload > 0) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[payload])).addListener(f -> {
                        if (f.isSuccess()) {
                            delivered.incrementAndGet();
                        }
                    });
                }
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }

        String spec() {
            return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
        }

        int accepted() {
            return accepted.get();
        }

        int open() {
            return (int) channels.stream().filter(Channel::isActive).count();
        }

        /** Connections whose payload was written whole. */
        int delivered() {
            return delivered.get();
        }

        void closeOne() {
            channels.stream().filter(Channel::isActive).findFirst().orElseThrow().close().syncUninterruptibly();
        }

        @Override
        public void close() {
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
