package dev.pen.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
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

    private static void awaitCounted(Balancer lb, int n) {
        Await.until(n + " connections counted",
                () -> lb.backends().stream().mapToInt(x -> x.activeConnections()).sum() == n);
    }
}
