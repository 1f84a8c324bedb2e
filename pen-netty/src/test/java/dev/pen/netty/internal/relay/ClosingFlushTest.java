package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Transport;
import dev.pen.netty.internal.transport.ChosenTransport;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Programs;
import dev.pen.netty.testing.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DuplexChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Half-closing a native channel on its socket, as the relay does once a side's writes are flushed. */
class ClosingFlushTest {

    static List<Transport> natives() {
        return Transports.available().stream().filter(t -> t != Transport.NIO).toList();
    }

    @ParameterizedTest
    @MethodSource("natives")
    void theFinIsSentAndTheChannelSeesItsOutputShutDown(Transport kind) throws Exception {
        EventLoopGroup group = group(kind);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Channel ch = connect(group, kind, server);
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(10_000);
                ch.eventLoop().execute(() -> ClosingFlush.shutdownOutputAfterFlush(ch, false));

                assertThat(peer.getInputStream().read()).as("the peer reads the end of input").isEqualTo(-1);
                Await.until("the channel to see its output shut down", () -> ((DuplexChannel) ch).isOutputShutdown());
                assertThat(ch.isOpen()).as("still open for the other direction").isTrue();
            } finally {
                ch.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @MethodSource("natives")
    void aConnectionResetBeforeTheHalfCloseIsClosedWithoutAnError(Transport kind) throws Exception {
        Programs.require("ss");
        EventLoopGroup group = group(kind);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Channel ch = connect(group, kind, server);
            int port = ((InetSocketAddress) ch.localAddress()).getPort();
            CountDownLatch reset = new CountDownLatch(1);
            CompletableFuture<Boolean> openAfter = new CompletableFuture<>();
            // The channel's loop is held until the reset is in, so the channel cannot learn of it first.
            ch.eventLoop().execute(() -> {
                try {
                    assertThat(reset.await(20, TimeUnit.SECONDS)).as("the reset arrived").isTrue();
                    ClosingFlush.shutdownOutput(ch);
                    openAfter.complete(ch.isOpen());
                } catch (Throwable e) {
                    openAfter.completeExceptionally(e);
                }
            });
            try (Socket peer = server.accept()) {
                peer.setSoLinger(true, 0); // closing sends a reset
            }
            // Once the reset is in, the kernel lists the socket no more, and shutting down its output fails.
            Await.until("the reset to reach port " + port, Duration.ofSeconds(10), () -> Programs.check(
                    List.of("ss", "-Htn", "sport = :" + port)).isBlank());
            reset.countDown();

            assertThat(openAfter.get(30, TimeUnit.SECONDS)).as("open after the half-close").isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static EventLoopGroup group(Transport kind) {
        return new MultiThreadIoEventLoopGroup(1, ChosenTransport.choose(kind).ioHandlerFactory().get());
    }

    private static Channel connect(EventLoopGroup group, Transport kind, ServerSocket server) throws Exception {
        return new Bootstrap().group(group)
                .channelFactory(ChosenTransport.choose(kind).socketChannels(ChosenTransport.Family.IPV4))
                .option(ChannelOption.AUTO_READ, false).option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.getLocalSocketAddress()).sync().channel();
    }
}
