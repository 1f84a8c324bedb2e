package dev.pen.netty.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Figures read back from a Micrometer registry after real traffic match what was sent. */
class MetricsTest {

    @Test
    void countersAndGaugesMatchTheTrafficSent() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String dead = "127.0.0.1:" + Clients.closedPort();
        try (NamedBackend echo = new NamedBackend("echo");
                Balancer lb = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                        .backend(dead).backend(echo.spec()).build(), registry)) {
            int port = Clients.port(lb.localAddress());
            byte[] payload = "0123456789".repeat(100).getBytes(StandardCharsets.US_ASCII);
            // Two clients; the first new client goes to server 1 (echo), the second to server 0 (dead, fails over).
            for (String from : new String[] {"127.0.0.2", "127.0.0.3"}) {
                try (Socket s = Clients.connect(from, port)) {
                    s.getOutputStream().write(payload);
                    s.shutdownOutput();
                    assertThat(s.getInputStream().readAllBytes()).hasSize(5 + payload.length);
                }
            }
            Socket held = Clients.connect("127.0.0.4", port);
            assertThat(Clients.readLine(held)).isEqualTo("echo");
            Await.until("held connection counted", () -> registry.get("pen.connections.active").gauge().value() == 1);
            assertThat(registry.get("pen.backend.connections.active").tag("index", "1").gauge().value()).isEqualTo(1);
            held.close();
            Await.until("all closed", () -> registry.get("pen.connections.active").gauge().value() == 0);

            assertThat(registry.get("pen.connections").tag("outcome", "relayed").functionCounter().count())
                    .isEqualTo(3);
            assertThat(registry.get("pen.connections").tag("outcome", "refused").functionCounter().count()).isZero();
            assertThat(registry.get("pen.bytes").tag("direction", "in").functionCounter().count())
                    .isEqualTo(2 * payload.length);
            assertThat(registry.get("pen.bytes").tag("direction", "out").functionCounter().count())
                    .isEqualTo(3 * 5 + 2 * payload.length);
            assertThat(registry.get("pen.backend.connect.failures").tag("index", "0").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("pen.backend.blacklisted").tag("index", "0").gauge().value()).isEqualTo(1);
            assertThat(registry.get("pen.backend.blacklisted").tag("index", "1").gauge().value()).isZero();
        }
        assertThat(registry.getMeters()).as("meters removed on close").isEmpty();
    }

    @Test
    void refusedAndFailedConnectionsAreCountedApart() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        String dead = "127.0.0.1:" + Clients.closedPort();
        try (Balancer lb = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").backend(dead).build(),
                registry)) {
            int port = Clients.port(lb.localAddress());
            assertThat(Clients.greeting("127.0.0.2", port)).isNull(); // connect fails: failed
            assertThat(Clients.greeting("127.0.0.3", port)).isNull(); // blacklisted now: refused
            Await.until("both counted", () -> lb.activeConnections() == 0);
            assertThat(registry.get("pen.connections").tag("outcome", "failed").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("pen.connections").tag("outcome", "refused").functionCounter().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aUdpSessionForWhichEveryServerFailedIsCountedOnceAsFailed(@TempDir Path dir) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // A datagram socket cannot connect to a socket path: the session's connect fails at once, locally.
        try (Balancer lb = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").udp(true)
                .backend(dir.resolve("nothing.sock").toString()).build(), registry);
                DatagramSocket client = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"))) {
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            client.send(new DatagramPacket(hello, hello.length, lb.localAddress()));
            Await.until("the session counted", () -> registry.get("pen.connections").tag("outcome", "failed")
                    .functionCounter().count() == 1);
            Await.until("the session ended", () -> lb.activeConnections() == 0);
            assertThat(registry.get("pen.connections").tag("outcome", "refused").functionCounter().count()).isZero();
            assertThat(registry.get("pen.connections").tag("outcome", "relayed").functionCounter().count()).isZero();
        }
    }

    private static Set<Meter.Id> idsOf(SimpleMeterRegistry registry, String balancer) {
        return registry.getMeters().stream().map(Meter::getId)
                .filter(id -> balancer.equals(id.getTag(BalancerMetrics.BALANCER_TAG))).collect(Collectors.toSet());
    }

    private static double relayed(SimpleMeterRegistry registry, String balancer) {
        return registry.get("pen.connections").tag("balancer", balancer).tag("outcome", "relayed").functionCounter()
                .count();
    }

    @Test
    void everyMeterNamesItsBalancerAndClosingOneLeavesTheOthersMetersAsTheyWere() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (NamedBackend a = new NamedBackend("a"); NamedBackend b = new NamedBackend("b");
                Balancer first = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").name("first")
                        .backend(a.spec()).meterRegistry(registry).build());
                Balancer second = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                        .backend(b.spec()).meterRegistry(registry).build())) {
            // No name given and port 0: the address bound.
            String secondName = "127.0.0.1:" + Clients.port(second.localAddress());
            assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("balancer"))
                    .isIn("first", secondName));
            assertThat(Clients.greeting("127.0.0.2", Clients.port(first.localAddress()))).isEqualTo("a");
            assertThat(Clients.greeting("127.0.0.3", Clients.port(first.localAddress()))).isEqualTo("a");
            assertThat(Clients.greeting("127.0.0.4", Clients.port(second.localAddress()))).isEqualTo("b");
            Await.until("both counted", () -> relayed(registry, "first") == 2 && relayed(registry, secondName) == 1);
            assertThat(registry.get("pen.backend.connections").tag("balancer", "first").functionCounter().count())
                    .isEqualTo(2);
            assertThat(registry.get("pen.backend.connections").tag("balancer", secondName).functionCounter().count())
                    .isEqualTo(1);
            Set<Meter.Id> secondsMeters = idsOf(registry, secondName);
            assertThat(secondsMeters).hasSizeGreaterThan(20);
            assertThat(idsOf(registry, "first")).hasSameSizeAs(secondsMeters);

            first.close();
            assertThat(idsOf(registry, "first")).isEmpty();
            assertThat(idsOf(registry, secondName)).isEqualTo(secondsMeters);
            assertThat(registry.getMeters()).hasSameSizeAs(secondsMeters);
            assertThat(relayed(registry, secondName)).isEqualTo(1);
            assertThat(Clients.greeting("127.0.0.5", Clients.port(second.localAddress()))).isEqualTo("b");
            Await.until("counted after the other closed", () -> relayed(registry, secondName) == 2);
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aSecondBalancerWithTheNameOfOneInTheRegistryIsRefusedAndBindsNothing() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int port = Clients.closedPort();
        try (NamedBackend a = new NamedBackend("a");
                Balancer first = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").name("edge")
                        .backend(a.spec()).meterRegistry(registry).build())) {
            Set<Meter.Id> before = idsOf(registry, "edge");
            assertThatThrownBy(() -> NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:" + port)
                    .name("edge").backend(a.spec()).meterRegistry(registry).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a balancer named edge already has meters in this registry (expected a name of its "
                            + "own: BalancerConfig.builder().name(...))");
            assertThat(idsOf(registry, "edge")).isEqualTo(before);
            // Its listener was closed again: the port can be bound.
            new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1")).close();
            assertThat(Clients.greeting("127.0.0.2", Clients.port(first.localAddress()))).isEqualTo("a");
        }
    }

    @Test
    void perServerMetersShowTrafficStateLimitsAndTimes() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (NamedBackend echo = new NamedBackend("echo"); NamedBackend other = new NamedBackend("other");
                Balancer lb = NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").name("lb")
                        .backend(echo.spec() + ":7:9:3:2").backend(other.spec()).meterRegistry(registry).build())) {
            int port = Clients.port(lb.localAddress());
            byte[] payload = "abcdefghij".repeat(30).getBytes(StandardCharsets.US_ASCII);
            lb.drainBackend(1, true); // every client to server 0
            for (String from : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
                try (Socket s = Clients.connect(from, port)) {
                    s.getOutputStream().write(payload);
                    s.shutdownOutput();
                    assertThat(s.getInputStream().readAllBytes()).hasSize(5 + payload.length);
                }
            }
            Await.until("the three ended", () -> registry.get("pen.backend.connection.duration").tag("index", "0")
                    .timer().count() == 3);
            assertThat(registry.get("pen.backend.connections").tag("index", "0").functionCounter().count())
                    .isEqualTo(3);
            assertThat(registry.get("pen.backend.bytes").tag("index", "0").tag("direction", "in").functionCounter()
                    .count()).isEqualTo(3 * payload.length);
            assertThat(registry.get("pen.backend.bytes").tag("index", "0").tag("direction", "out").functionCounter()
                    .count()).isEqualTo(3 * (5 + payload.length));
            assertThat(registry.get("pen.backend.connect.time").tag("index", "0").timer().count()).isEqualTo(3);
            assertThat(registry.get("pen.backend.connect.time").tag("index", "1").timer().count()).isZero();
            assertThat(registry.get("pen.backend.connection.duration").tag("index", "0").timer()
                    .takeSnapshot().histogramCounts()).isNotEmpty();
            assertThat(registry.get("pen.backend.max.connections").tag("index", "0").gauge().value()).isEqualTo(7);
            assertThat(registry.get("pen.backend.hard.max.connections").tag("index", "0").gauge().value())
                    .isEqualTo(9);
            assertThat(registry.get("pen.backend.weight").tag("index", "0").gauge().value()).isEqualTo(3);
            assertThat(registry.get("pen.backend.priority").tag("index", "0").gauge().value()).isEqualTo(2);
            assertThat(state(registry, "1")).isEqualTo("draining");
            assertThat(state(registry, "0")).isEqualTo("up");
            lb.blacklistBackend(0, Duration.ofSeconds(30));
            assertThat(state(registry, "0")).isEqualTo("blacklisted");
            assertThat(registry.get("pen.backend.blacklisted").tag("index", "0").gauge().value()).isEqualTo(1);
            assertThat(registry.get("netty.eventexecutor.tasks.pending").tag("balancer", "lb").gauges()).isNotEmpty();
            assertThat(registry.get("netty.eventexecutor.workers").tag("balancer", "lb").gauge().value()).isEqualTo(1);

            // A new weight keeps the server's figures and timers; the gauge shows the new weight.
            lb.update(c -> c.toBuilder().backend(0, c.backends().get(0).withWeight(5)).build());
            assertThat(registry.get("pen.backend.weight").tag("index", "0").gauge().value()).isEqualTo(5);
            assertThat(registry.get("pen.backend.connect.time").tag("index", "0").timer().count()).isEqualTo(3);
            // A removed server's meters go.
            lb.removeBackend(1);
            assertThat(registry.find("pen.backend.connections").tag("index", "1").meters()).isEmpty();
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    private static String state(SimpleMeterRegistry registry, String index) {
        List<String> on = registry.get("pen.backend.state").tag("index", index).gauges().stream()
                .filter(g -> g.value() == 1).map(g -> g.getId().getTag("state")).toList();
        assertThat(on).hasSize(1);
        return on.get(0);
    }
}
