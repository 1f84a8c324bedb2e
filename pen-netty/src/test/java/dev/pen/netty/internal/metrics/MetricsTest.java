package dev.pen.netty.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
}
