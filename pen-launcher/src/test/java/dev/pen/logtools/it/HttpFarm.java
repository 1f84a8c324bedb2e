package dev.pen.logtools.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.ChildProcess;
import dev.pen.netty.testing.Nginx;
import dev.pen.netty.testing.Programs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HOWTO's http farm on loopback: two nginx behind bin/pen, and curl as clients on addresses other than the
 * balancer's. Each nginx has an address of its own (127.0.0.2, 127.0.0.3) because pen's log names a server by its
 * address only, without the port, and mergelogs and penlogd tell the servers apart by that address.
 */
final class HttpFarm implements AutoCloseable {
    static final String HOST1 = "127.0.0.2";
    static final String HOST2 = "127.0.0.3";
    static final List<String> CLIENTS = List.of("127.0.0.5", "127.0.0.6");
    /** What the web servers see as the client without the log tools: pen connects to them from 127.0.0.1. */
    static final String BALANCER = "127.0.0.1";
    private static final int REQUESTS_PER_CLIENT = 3;

    final Nginx host1;
    final Nginx host2;
    /** The client that sent each request (request lines are all different). */
    private final Map<String, String> clientOfRequest = new HashMap<>();

    private HttpFarm(Nginx host1, Nginx host2) {
        this.host1 = host1;
        this.host2 = host2;
    }

    static HttpFarm start(Path dir) {
        Programs.require("curl");
        Nginx host1 = Nginx.start(dir, "host1", HOST1);
        try {
            return new HttpFarm(host1, Nginx.start(dir, "host2", HOST2));
        } catch (RuntimeException | Error e) {
            host1.close();
            throw e;
        }
    }

    /**
     * Runs {@code bin/pen -r -l LOG} in {@code dir}, sends every client's requests through it, waits for the web
     * servers' log lines and stops pen with TERM, which writes out whatever of its log is still queued.
     */
    void trafficThroughPen(Path dir, String log) throws IOException {
        trafficThroughPen(dir, log, "");
    }

    /** As {@link #trafficThroughPen(Path, String)}, each request's target ending with {@code padding}. */
    void trafficThroughPen(Path dir, String log, String padding) throws IOException {
        int port = Processes.freeTcpPort();
        // Round robin (-r) rather than pen's default stickiness: with each client's requests in a row, both servers
        // get requests from both clients, so a server's log alone does not tell which client sent a line.
        try (ChildProcess pen = Processes.startPen(dir, "-r", "-l", log, BALANCER + ":" + port, host1.address(),
                host2.address())) {
            for (String client : CLIENTS) {
                for (int n = 1; n <= REQUESTS_PER_CLIENT; n++) {
                    String target = "/?client=" + client + "&n=" + n + padding;
                    assertThat(Processes.curl(client, port, target)).isIn("host1", "host2");
                    clientOfRequest.put("GET " + target + " HTTP/1.1", client);
                }
            }
            int total = CLIENTS.size() * REQUESTS_PER_CLIENT;
            Await.until(total + " lines in the access logs", Duration.ofSeconds(10),
                    () -> host1.accessLines().size() + host2.accessLines().size() == total);
            assertThat(pen.stop()).as("pen's exit status after TERM; %s", pen.output()).isZero();
        }
        for (Nginx host : List.of(host1, host2)) {
            // What the merge has to undo: the web servers only saw the balancer, yet each got both clients' requests.
            assertThat(host.accessLines()).allMatch(l -> l.startsWith(BALANCER + " "));
            assertThat(host.accessLines()).extracting(this::client).containsAll(CLIENTS);
        }
    }

    /**
     * The web servers' lines as the merge must give them: the client that sent the request in place of the
     * balancer, every other byte as the web server wrote it.
     */
    List<String> linesWithRealClients() {
        List<String> expected = new ArrayList<>();
        for (Nginx host : List.of(host1, host2)) {
            for (String line : host.accessLines()) {
                expected.add(client(line) + line.substring(line.indexOf(' ')));
            }
        }
        return expected;
    }

    /** The client that sent the request of a log line (its text between the first two quotes). */
    String client(String line) {
        int open = line.indexOf('"');
        String request = line.substring(open + 1, line.indexOf('"', open + 1));
        assertThat(clientOfRequest).as("a request sent by the test").containsKey(request);
        return clientOfRequest.get(request);
    }

    @Override
    public void close() {
        try (host1; host2) {
            // both stopped, even when the first fails
        }
    }
}
