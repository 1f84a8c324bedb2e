package dev.pen.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.Transport;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Transports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Starting, bad settings, runtime changes, Unix sockets and IPv6. */
class BalancerLifecycleTest {

    static java.util.List<Transport> transports() {
        return Transports.available();
    }

    @Test
    void serviceLoaderFindsTheNettyImplementation() {
        try (NamedBackend a = new NamedBackend("a");
                Balancer lb = Balancer.start(BalancerConfig.builder().listen("127.0.0.1:0").backend(a.spec()).build())) {
            assertThat(lb).isInstanceOf(NettyBalancer.class);
            assertThat(Clients.greeting("127.0.0.1", Clients.port(lb.localAddress()))).isEqualTo("a");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.pen.netty.testing.Transports#available")
    void balancerWithNothingToDrainStopsAtOnce(Transport transport) {
        NamedBackend echo = new NamedBackend("echo");
        try (echo) {
            Balancer lb = Balancer.start(BalancerConfig.builder().listen("127.0.0.1:0").transport(transport)
                    .backend(echo.spec()).build());
            assertThat(Clients.greeting("127.0.0.2", Clients.port(lb.localAddress()))).isEqualTo("echo");
            Await.until("the client's connection ended", () -> lb.activeConnections() == 0);
            long start = System.nanoTime();
            lb.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isLessThan(500L);
        }
    }

    @Test
    void unresolvableHostIsRejectedAtStartNamingIt() {
        BalancerConfig config = BalancerConfig.builder().listen("127.0.0.1:0").backend("nosuchhost.invalid:80").build();
        assertThatThrownBy(() -> NettyBalancer.start(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown or invalid address [nosuchhost.invalid]");
    }

    @Test
    void portInUseIsAnErrorAndLeavesNothingRunning() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            BalancerConfig config = BalancerConfig.builder().listen("127.0.0.1:" + taken.getLocalPort())
                    .backend("127.0.0.1:80").build();
            int threadsBefore = Thread.activeCount();
            assertThatThrownBy(() -> NettyBalancer.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("can't bind local address 127.0.0.1:" + taken.getLocalPort());
            Await.until("event loop threads gone", () -> Thread.activeCount() <= threadsBefore);
        }
    }

    @Test
    void badValuesAreRejectedWithOneLineNamingThem() {
        assertThatThrownBy(() -> BalancerConfig.builder().listen("70000").build())
                .hasMessage("unexpected port: 70000 (expected 1..65535)");
        assertThatThrownBy(() -> Limits.DEFAULT.withMaxConnections(-1))
                .hasMessage("unexpected max connections: -1 (expected 1..1048576)");
        assertThatThrownBy(() -> Limits.DEFAULT.withBlacklistTime(Duration.ofSeconds(-5)))
                .hasMessage("unexpected blacklist time: -5 s (expected 0 or more)");
        assertThatThrownBy(() -> BalancerConfig.builder().listen("8080").backend("host:80:x").build())
                .hasMessage("unexpected maxc 'x' in server spec 'host:80:x' (expected a number)");
    }

    @Test
    void removingABackendLeavesItsSlotEmptyAndAddingFillsIt() {
        try (NamedBackend a = new NamedBackend("a");
                NamedBackend b = new NamedBackend("b");
                NamedBackend c = new NamedBackend("c");
                Balancer lb = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                        .backend(a.spec()).backend(b.spec()).backend(c.spec()).build())) {
            lb.removeBackend(1);
            assertThat(lb.config().backendSlots()).isEqualTo(3);
            assertThat(lb.backends()).extracting(s -> s.index()).containsExactly(0, 2);
            assertThat(lb.backend(2).orElseThrow().backend().address().port()).isEqualTo(c.port());
            int port = Clients.port(lb.localAddress());
            for (int i = 1; i <= 6; i++) {
                assertThat(Clients.greeting("127.0.0." + i, port)).isIn("a", "c");
            }
            assertThat(lb.addBackend(Backend.parse(b.spec(), 80))).isEqualTo(1);
            lb.update(config -> config.toBuilder().modes(Modes.DEFAULT.withRoundRobin(true)).build());
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 6; i++) {
                seen.add(Clients.greeting("127.0.0.1", port));
            }
            assertThat(seen).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void drainedBackendKeepsItsConnectionsButTakesNoNewOnes() throws Exception {
        try (NamedBackend a = new NamedBackend("a");
                NamedBackend b = new NamedBackend("b");
                Balancer lb = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                        .backend(a.spec()).backend(b.spec()).build())) {
            int port = Clients.port(lb.localAddress());
            Socket held = Clients.connect("127.0.0.2", port);
            assertThat(Clients.readLine(held)).isEqualTo("b");
            lb.drainBackend(1, true);
            assertThat(lb.backend(1).orElseThrow().state()).isEqualTo(BackendState.DRAINING);
            assertThat(Clients.greeting("127.0.0.2", port)).as("even the returning client").isEqualTo("a");
            held.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(held.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
            held.close();
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void unixSocketListenerRelaysToAUnixSocketBackend(Transport transport, @TempDir Path dir) throws Exception {
        Path backendPath = dir.resolve("backend.sock");
        Path listenPath = dir.resolve("pen.sock");
        try (NamedBackend a = new NamedBackend("a");
                Balancer front = NettyBalancer.start(BalancerConfig.builder().listen(backendPath.toString())
                        .transport(transport).backend(a.spec()).build());
                Balancer lb = NettyBalancer.start(BalancerConfig.builder().listen(listenPath.toString())
                        .transport(transport).backend(backendPath.toString()).build())) {
            assertThat(Files.exists(listenPath)).isTrue();
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(listenPath));
                ByteBuffer buf = ByteBuffer.allocate(2);
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // read the greeting
                }
                assertThat(new String(buf.array(), StandardCharsets.US_ASCII)).isEqualTo("a\n");
            }
            assertThat(lb.clients()).hasSize(1);
            assertThat(lb.clients().get(0).address()).as("Unix clients share one entry").isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void ipv6ClientsReachIpv4Backends(Transport transport) throws Exception {
        try (NamedBackend a = new NamedBackend("a");
                Balancer lb = NettyBalancer.start(BalancerConfig.builder().listen("::1:0").transport(transport)
                        .backend(a.spec()).build());
                Socket s = new Socket()) {
            s.connect(new InetSocketAddress("::1", Clients.port(lb.localAddress())), 5000);
            s.setSoTimeout(5000);
            assertThat(Clients.readLine(s)).isEqualTo("a");
        }
    }
}
