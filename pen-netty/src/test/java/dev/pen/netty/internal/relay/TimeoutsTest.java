package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The time limits of TCP connections: idle, first byte, and a closing flush that stands still. */
class TimeoutsTest {
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private Balancer balancer(Transport transport, String backend, UnaryOperator<BalancerConfig.Builder> settings) {
        return keep(NettyBalancer.start(settings.apply(BalancerConfig.builder().listen("127.0.0.1:0")
                .transport(transport).backend(backend)).build()));
    }

    /** Milliseconds until the balancer closes {@code s}: end of stream or reset, read within 10 s. */
    private static long millisUntilClosed(Socket s) throws IOException {
        long start = System.nanoTime();
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // the backend's greeting and echoes
            }
        } catch (java.net.SocketException reset) {
            // closed with unsent bytes: a reset is a close too
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @ParameterizedTest
    @MethodSource("transports")
    void idleClientIsClosedAfterTheIdleTimeout(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec(), b -> b.idleTimeout(Duration.ofMillis(300)));
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(Clients.readLine(s)).isEqualTo("echo");
        assertThat(millisUntilClosed(s)).isBetween(200L, 5_000L);
        Await.until("the slot is free", () -> lb.activeConnections() == 0);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void connectionThatKeepsTalkingOutlivesTheIdleTimeout(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec(), b -> b.idleTimeout(Duration.ofMillis(400)));
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        assertThat(in.readNBytes(5)).isEqualTo("echo\n".getBytes(StandardCharsets.US_ASCII));
        long end = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
        int rounds = 0;
        while (System.nanoTime() - end < 0) {
            out.write('x');
            assertThat(in.read()).as("echo of round " + rounds).isEqualTo('x');
            rounds++;
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // the pace of a talker
        }
        assertThat(lb.activeConnections()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void clientThatSendsNothingIsClosedAfterTheFirstByteTimeoutWhateverTheServerSays(Transport transport)
            throws Exception {
        NamedBackend talker = keep(new NamedBackend("banner")); // greets first, as smtp and pop3 servers do
        Balancer lb = balancer(transport, talker.spec(), b -> b.firstByteTimeout(Duration.ofMillis(300)));
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        assertThat(Clients.readLine(s)).isEqualTo("banner");
        assertThat(millisUntilClosed(s)).isBetween(100L, 5_000L);
        Await.until("the slot is free", () -> lb.activeConnections() == 0);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void clientThatSentAByteOutlivesTheFirstByteTimeout(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec(), b -> b.firstByteTimeout(Duration.ofMillis(200)));
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        s.getOutputStream().write('x');
        assertThat(s.getInputStream().readNBytes(6)).isEqualTo("echo\nx".getBytes(StandardCharsets.US_ASCII));
        Socket later = keep(Clients.connect("127.0.0.2", Clients.port(lb.localAddress())));
        assertThat(millisUntilClosed(later)).as("a silent client meanwhile").isGreaterThanOrEqualTo(100L);
        s.getOutputStream().write('y');
        assertThat(s.getInputStream().read()).isEqualTo('y');
    }

    @Test
    void clientThatNeverReadsIsClosedOnceItsServerHasGoneAndTheFlushStandsStill(@TempDir Path dir) throws Exception {
        ServerSocket server = keep(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
        // A Unix socket client: its kernel buffers are small, so the relay itself holds what the client leaves.
        Path socket = dir.resolve("pen.sock");
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen(socket.toString())
                .backend("127.0.0.1:" + server.getLocalPort()).build()));
        SocketChannel client = keep(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
        client.write(ByteBuffer.wrap(new byte[] {'x'}));
        int size = 300 * 1024;
        try (Socket backendSide = server.accept()) {
            backendSide.getOutputStream().write(new byte[size]);
            Await.until("the relay has read everything the server sent",
                    () -> lb.backend(0).orElseThrow().bytesFromBackend() == size);
            backendSide.setSoLinger(true, 0); // the server goes with a reset
        }
        long start = System.nanoTime();
        Await.until("the client is closed", Duration.ofSeconds(30), () -> lb.activeConnections() == 0);
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertThat(seconds).isBetween(5L, 25L);
    }
}
