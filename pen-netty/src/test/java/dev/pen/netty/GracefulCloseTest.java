package dev.pen.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Transport;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Balancer#closeGracefully}: stop accepting, let open connections finish up to the grace, then close. */
class GracefulCloseTest {

    private static Balancer start(Transport transport, NamedBackend backend, boolean reusePort, int port) {
        return Balancer.start(BalancerConfig.builder().listen("127.0.0.1:" + port).transport(transport)
                .reusePort(reusePort).backend(backend.spec()).build());
    }

    @ParameterizedTest
    @MethodSource("dev.pen.netty.testing.Transports#available")
    void connectionMidTransferFinishesWithinTheGraceWhileNewOnesAreRefused(Transport transport) throws Exception {
        try (NamedBackend echo = new NamedBackend("echo");
                Balancer lb = start(transport, echo, false, 0)) {
            int port = Clients.port(lb.localAddress());
            try (Socket client = Clients.connect("127.0.0.2", port)) {
                assertThat(line(client)).isEqualTo("echo");
                send(client, "first\n");
                assertThat(line(client)).isEqualTo("first");

                long start = System.nanoTime();
                CompletableFuture<Void> closed = lb.closeGracefully(Duration.ofSeconds(20));
                assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", port), 2000))
                        .isInstanceOf(ConnectException.class);
                assertThat(closed).isNotDone();

                send(client, "second\n");
                assertThat(line(client)).isEqualTo("second");
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                closed.get(10, TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.pen.netty.testing.Transports#available")
    void connectionStillOpenWhenTheGraceEndsIsClosed(Transport transport) throws Exception {
        try (NamedBackend echo = new NamedBackend("echo");
                Balancer lb = start(transport, echo, false, 0)) {
            try (Socket client = Clients.connect("127.0.0.2", Clients.port(lb.localAddress()))) {
                assertThat(line(client)).isEqualTo("echo");
                long start = System.nanoTime();
                CompletableFuture<Void> closed = lb.closeGracefully(Duration.ofMillis(500));
                closed.get(10, TimeUnit.SECONDS);
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(tookMillis).isGreaterThanOrEqualTo(500L).isLessThan(5000L);
                assertThat(endOfStreamOrReset(client)).isTrue();
            }
        }
    }

    @Test
    void closeDuringTheGraceClosesAtOnce() throws Exception {
        try (NamedBackend echo = new NamedBackend("echo");
                Balancer lb = start(Transport.AUTO, echo, false, 0)) {
            try (Socket client = Clients.connect("127.0.0.2", Clients.port(lb.localAddress()))) {
                assertThat(line(client)).isEqualTo("echo");
                CompletableFuture<Void> closed = lb.closeGracefully(Duration.ofMinutes(10));
                assertThat(lb.closeGracefully(Duration.ZERO)).isSameAs(closed);
                long start = System.nanoTime();
                lb.close();
                closed.get(10, TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
                assertThat(endOfStreamOrReset(client)).isTrue();
            }
        }
    }

    @Test
    void balancerWithNothingOpenClosesAtOnce() throws Exception {
        try (NamedBackend echo = new NamedBackend("echo");
                Balancer lb = start(Transport.AUTO, echo, false, 0)) {
            long start = System.nanoTime();
            lb.closeGracefully(Duration.ofMinutes(10)).get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void movingTheListenerWhileStoppingIsRefused() throws Exception {
        try (NamedBackend echo = new NamedBackend("echo");
                Balancer lb = start(Transport.AUTO, echo, false, 0);
                Socket client = Clients.connect("127.0.0.2", Clients.port(lb.localAddress()))) {
            assertThat(line(client)).isEqualTo("echo");
            lb.closeGracefully(Duration.ofMinutes(10));
            int other = Clients.closedPort();
            assertThatThrownBy(() -> lb.update(c -> c.toBuilder().listen("127.0.0.1:" + other).build()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopping");
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", other), 2000))
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void negativeGraceIsRefused() {
        try (NamedBackend echo = new NamedBackend("echo");
                Balancer lb = start(Transport.AUTO, echo, false, 0)) {
            assertThatThrownBy(() -> lb.closeGracefully(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 0 or more");
            assertThat(Clients.greeting("127.0.0.2", Clients.port(lb.localAddress()))).isEqualTo("echo");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.pen.netty.testing.Transports#available")
    void secondBalancerWithReusePortServesThePortOnceTheFirstStops(Transport transport) throws Exception {
        try (NamedBackend a = new NamedBackend("a");
                NamedBackend b = new NamedBackend("b");
                Balancer first = start(transport, a, true, 0)) {
            int port = Clients.port(first.localAddress());
            try (Balancer second = start(transport, b, true, port)) {
                assertThat(Clients.port(second.localAddress())).isEqualTo(port);
                first.closeGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 20; i++) {
                    assertThat(Clients.greeting("127.0.0." + (2 + i), port)).isEqualTo("b");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.pen.netty.testing.Transports#available")
    void withoutReusePortASecondBalancerOnThePortIsRefused(Transport transport) {
        try (NamedBackend a = new NamedBackend("a");
                Balancer first = start(transport, a, true, 0)) {
            int port = Clients.port(first.localAddress());
            assertThatThrownBy(() -> start(transport, a, false, port)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("can't bind local address");
        }
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** The next line, read a byte at a time so that nothing after it is taken from the socket. */
    private static String line(Socket s) {
        try {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    return null;
                }
                line.write(c);
            }
            return line.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean endOfStreamOrReset(Socket s) {
        Await.until("the balancer closed the client", () -> {
            try {
                return s.getInputStream().read() < 0;
            } catch (IOException e) {
                return true;
            }
        });
        return true;
    }
}
