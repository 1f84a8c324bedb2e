package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time limits of TCP connections (idle, first byte, a closing flush that stands still), and how soon a fresh
 * client is served when slow clients hold every slot of -x.
 */
class TimeoutsTest {
    private static final Logger LOG = LoggerFactory.getLogger(TimeoutsTest.class);
    private static final int SLOTS = 20;
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

    /** A client of a greeting backend sends {@code data}, then nothing: how long until the balancer closes it. */
    private long millisUntilAQuietClientIsClosed(Transport transport, UnaryOperator<BalancerConfig.Builder> limit,
            String data) throws Exception {
        NamedBackend talker = keep(new NamedBackend("banner")); // greets first, as smtp and pop3 servers do
        Balancer lb = balancer(transport, talker.spec(), limit);
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        s.getOutputStream().write(data.getBytes(StandardCharsets.US_ASCII));
        assertThat(Clients.readLine(s)).isEqualTo("banner");
        long millis = millisUntilClosed(s);
        Await.until("the slot is free", () -> lb.activeConnections() == 0);
        return millis;
    }

    @ParameterizedTest
    @MethodSource("transports")
    void idleClientIsClosedAfterTheIdleTimeout(Transport transport) throws Exception {
        assertThat(millisUntilAQuietClientIsClosed(transport, b -> b.idleTimeout(Duration.ofMillis(300)), "hello\n"))
                .isBetween(200L, 5_000L);
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
        }
        assertThat(lb.activeConnections()).as("open after %d rounds over more than 3 idle timeouts", rounds)
                .isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void clientThatSendsNothingIsClosedAfterTheFirstByteTimeoutWhateverTheServerSays(Transport transport)
            throws Exception {
        assertThat(millisUntilAQuietClientIsClosed(transport, b -> b.firstByteTimeout(Duration.ofMillis(300)), ""))
                .isBetween(100L, 5_000L);
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
        int size = 250 * 1024; // under the relay's high water mark, so it reads it all; over the kernel's buffer
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

    /** A balancer with {@code -x} {@value #SLOTS}, every slot taken by a client that then does nothing. */
    private Balancer fullBalancer(UnaryOperator<BalancerConfig.Builder> limits, boolean sendAByte)
            throws Exception {
        NamedBackend backend = keep(new NamedBackend("echo"));
        Balancer lb = keep(NettyBalancer.start(limits.apply(BalancerConfig.builder().listen("127.0.0.1:0")
                .limits(Limits.DEFAULT.withMaxConnections(SLOTS)).backend(backend.spec())).build()));
        for (int i = 0; i < SLOTS; i++) {
            Socket s = keep(Clients.connect("127.0.0.2", Clients.port(lb.localAddress())));
            if (sendAByte) {
                s.getOutputStream().write('x'); // and then never a byte more, nor a read
            }
        }
        Await.until("every slot taken", () -> lb.activeConnections() == SLOTS);
        return lb;
    }

    /** Milliseconds until a fresh client gets the backend's greeting. */
    private static long millisToServeAFreshClient(Balancer lb) {
        long start = System.nanoTime();
        Socket fresh = Clients.connect("127.0.0.3", Clients.port(lb.localAddress()));
        try (fresh) {
            fresh.setSoTimeout(20_000);
            assertThat(Clients.readLine(fresh)).isEqualTo("echo");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void silentClientsInEverySlotGiveWayAfterTheFirstByteTimeout() throws Exception {
        long ms = millisToServeAFreshClient(fullBalancer(b -> b.firstByteTimeout(Duration.ofSeconds(1)), false));
        LOG.info("{} silent clients, first byte timeout 1 s: a fresh client served after {} ms", SLOTS, ms);
        assertThat(ms).isLessThan(5_000L);
    }

    @Test
    void idleClientsInEverySlotGiveWayAfterTheIdleTimeout() throws Exception {
        long ms = millisToServeAFreshClient(fullBalancer(b -> b.idleTimeout(Duration.ofSeconds(1)), true));
        LOG.info("{} idle clients, idle timeout 1 s: a fresh client served after {} ms", SLOTS, ms);
        assertThat(ms).isLessThan(5_000L);
    }
}
