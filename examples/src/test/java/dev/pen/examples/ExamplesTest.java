package dev.pen.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Backend;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Candidate;
import dev.pen.api.Modes;
import dev.pen.api.PickContext;
import dev.pen.api.Picker;
import dev.pen.api.Strategy;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExamplesTest {

    @Test
    void demoSendsSuccessiveRequestsToDifferentServers() throws Exception {
        try (Demo demo = new Demo("127.0.0.1:0")) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // A new connection per request, as with curl.
                try (Socket s = Clients.connect("127.0.0.1", demo.port())) {
                    s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    bodies.add(response.substring(response.indexOf("\r\n\r\n") + 4));
                }
            }
            assertThat(bodies).containsExactly("Hello from backend 2\n", "Hello from backend 3\n",
                    "Hello from backend 1\n");
        }
    }

    @Test
    void idleDemoStopsAtOnce() {
        Demo demo = new Demo("127.0.0.1:0");
        long start = System.nanoTime();
        demo.close();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500L);
    }

    @Test
    void leastConnectionsSendsNewClientsToTheLessBusyServer() throws Exception {
        try (NamedBackend a = new NamedBackend("a");
                NamedBackend b = new NamedBackend("b");
                Balancer lb = Balancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                        .backend(a.spec()).backend(b.spec()).strategy(new LeastConnections()).build())) {
            int port = Clients.port(lb.localAddress());
            List<Socket> held = new ArrayList<>();
            try {
                // One returning client holds three connections on the server it was first given.
                String busy = null;
                for (int i = 0; i < 3; i++) {
                    Socket s = Clients.connect("127.0.0.1", port);
                    held.add(s);
                    busy = Clients.readLine(s);
                    awaitCounted(lb, held.size());
                }
                String idle = "a".equals(busy) ? "b" : "a";
                // Each of the next two new clients finds the other server less busy.
                for (int i = 2; i <= 3; i++) {
                    Socket s = Clients.connect("127.0.0." + i, port);
                    held.add(s);
                    assertThat(Clients.readLine(s)).isEqualTo(idle);
                    awaitCounted(lb, held.size());
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    void fastestConnectLearnsEachConnectTimeThroughARunningBalancer() {
        FastestConnect.Choices[] made = new FastestConnect.Choices[1];
        Strategy strategy = () -> {
            made[0] = (FastestConnect.Choices) new FastestConnect(7).newPicker();
            return made[0];
        };
        try (NamedBackend a = new NamedBackend("a");
                NamedBackend b = new NamedBackend("b");
                Balancer lb = Balancer.start(BalancerConfig.builder().listen("127.0.0.1:0").modes(
                        Modes.DEFAULT.withRoundRobin(true)).backend(a.spec()).backend(b.spec()).strategy(strategy)
                        .build())) {
            int port = Clients.port(lb.localAddress());
            for (int i = 0; i < 20; i++) {
                assertThat(Clients.greeting("127.0.0.1", port)).isIn("a", "b");
            }
            Await.until("both backends' connect times learnt",
                    () -> made[0].averageNanos(0) > 0 && made[0].averageNanos(1) > 0);
        }
    }

    @Test
    void fastestConnectSendsMostNewClientsToTheFasterBackend() throws Exception {
        Picker picker = new FastestConnect(7).newPicker();
        List<Candidate> both = List.of(candidate(0), candidate(1));
        PickContext context = new PickContext(null, 0, both, 2, List.of(), Modes.DEFAULT, 0);
        for (int i = 0; i < 10; i++) {
            picker.connected(0, 5_000_000);
            picker.connected(1, 100_000);
        }
        int toSlow = 0;
        for (int i = 0; i < 1000; i++) {
            toSlow += picker.pick(context).index() == 0 ? 1 : 0;
        }
        // Only a draw of the slow backend twice sends a client there: about a quarter of them.
        assertThat(toSlow).isBetween(150, 350);
    }

    @Test
    void connectionEventsExampleHearsEachConnectionsLife() {
        ConnectionEventsExample events = new ConnectionEventsExample();
        try (NamedBackend a = new NamedBackend("a");
                Balancer lb = Balancer.start(BalancerConfig.builder().listen("127.0.0.1:0").backend(a.spec())
                        .connectionLog(events).build())) {
            assertThat(Clients.greeting("127.0.0.2", Clients.port(lb.localAddress()))).isEqualTo("a");
            List<String> lines = new ArrayList<>();
            Await.until("connected and closed heard", () -> {
                for (String line; (line = events.poll()) != null; ) {
                    lines.add(line);
                }
                return lines.size() == 2;
            });
            assertThat(lines.get(0)).startsWith("1 /127.0.0.2:").endsWith(" -> server 0");
            assertThat(lines.get(1)).startsWith("1 closed: 0 bytes up, 2 down, ");
        }
    }

    @Test
    void metricsExampleShowsTheTrafficInARegistry() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (NamedBackend a = new NamedBackend("a");
                Balancer lb = MetricsExample.start(BalancerConfig.builder().listen("127.0.0.1:0").backend(a.spec())
                        .build(), registry)) {
            assertThat(Clients.greeting("127.0.0.2", Clients.port(lb.localAddress()))).isEqualTo("a");
            // Every meter names its balancer: by default the address it listens on.
            String balancer = "balancer=127.0.0.1:" + Clients.port(lb.localAddress());
            Await.until("the connection counted", () -> MetricsExample.figures(registry)
                    .getOrDefault("pen.connections " + balancer + " outcome=relayed", 0.0) == 1.0);
            Await.until("the bytes counted", () -> MetricsExample.figures(registry)
                    .getOrDefault("pen.bytes " + balancer + " direction=out", 0.0) == 2.0);
        }
    }

    @Test
    void runtimeChangesExampleAddsDrainsAndReplacesServersWhileServing() {
        try (NamedBackend a = new NamedBackend("a");
                NamedBackend b = new NamedBackend("b");
                Balancer lb = Balancer.start(BalancerConfig.builder().listen("127.0.0.1:0").backend(a.spec())
                        .build())) {
            int port = Clients.port(lb.localAddress());
            assertThat(RuntimeChangesExample.add(lb, b.spec())).isEqualTo(1);
            RuntimeChangesExample.drain(lb, 0);
            for (int i = 2; i <= 4; i++) {
                assertThat(Clients.greeting("127.0.0." + i, port)).isEqualTo("b");
            }
            // Slot 0 gets another server: a new one, not draining; slot 1 goes.
            BalancerConfig now = RuntimeChangesExample.replaceAll(lb, b.spec());
            assertThat(now.backends()).hasSize(1);
            assertThat(Clients.greeting("127.0.0.5", port)).isEqualTo("b");
        }
    }

    private static Candidate candidate(int index) {
        Backend backend = Backend.of("127.0.0.1", 1000 + index);
        return new Candidate() {
            @Override
            public int index() {
                return index;
            }

            @Override
            public Backend backend() {
                return backend;
            }

            @Override
            public int activeConnections() {
                return 0;
            }

            @Override
            public boolean available() {
                return true;
            }
        };
    }

    private static void awaitCounted(Balancer lb, int n) {
        Await.until(n + " connections counted",
                () -> lb.backends().stream().mapToInt(x -> x.activeConnections()).sum() == n);
    }
}
