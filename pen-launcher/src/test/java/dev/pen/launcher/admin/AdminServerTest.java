package dev.pen.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.launcher.control.ControlHost;
import dev.pen.launcher.control.LiveView;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener over real HTTP: what each path serves, what it refuses, and who may not connect. */
class AdminServerTest {
    /** A socket path with every character that JSON or HTML must escape. */
    private static final String ODD = "odd\"<b>&'\\.sock";

    @TempDir
    Path dir;
    private NamedBackend backend;
    private Balancer balancer;
    private AdminServer admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> diagnostics = new CopyOnWriteArrayList<>();
    private String base;

    @BeforeEach
    void start() {
        backend = new NamedBackend("web");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        balancer = Balancer.start(BalancerConfig.builder().listen("127.0.0.1:0").name("lb").backend(backend.spec())
                .backend(dir.resolve(ODD).toString()).meterRegistry(registry).build());
        admin = AdminServer.open(new AdminAddress("127.0.0.1", 0), registry, host(balancer),
                a -> !a.getHostAddress().equals("127.0.0.9"));
        base = "http://127.0.0.1:" + ((InetSocketAddress) admin.localAddress()).getPort();
    }

    @AfterEach
    void stop() {
        admin.close();
        balancer.close();
        backend.close();
    }

    private ControlHost host(Balancer b) {
        return new ControlHost() {
            @Override
            public BalancerConfig config() {
                return b.config();
            }

            @Override
            public void update(BalancerConfig expected, BalancerConfig next) {
                b.update(next);
            }

            @Override
            public LiveView live() {
                return LiveView.of(b);
            }

            @Override
            public void log(String target) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String writeStatus() {
                return null;
            }

            @Override
            public void exit() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long pid() {
                return ProcessHandle.current().pid();
            }

            @Override
            public void debug(int level, String message) {
                diagnostics.add(message);
            }
        };
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void traffic() {
        int port = Clients.port(balancer.localAddress());
        assertThat(Clients.greeting("127.0.0.2", port)).isEqualTo("web");
        assertThat(Clients.greeting("127.0.0.3", port)).isEqualTo("web");
        Await.until("both connections ended", () -> balancer.activeConnections() == 0
                && balancer.backend(0).orElseThrow().totalConnections() == 2);
    }

    @Test
    void metricsArePrometheusTextWithTheTrafficCounted() throws Exception {
        traffic();
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String body = r.body();
        assertThat(body).contains("pen_connections_total{balancer=\"lb\",outcome=\"relayed\"} 2.0")
                .contains("pen_backend_connections_total{backend=\"" + backend.spec()
                        + "\",balancer=\"lb\",index=\"0\"} 2.0")
                .contains("pen_backend_state{backend=\"" + backend.spec()
                        + "\",balancer=\"lb\",index=\"0\",state=\"up\"} 1.0")
                .contains("pen_backend_connect_time_seconds_count{backend=\"" + backend.spec()
                        + "\",balancer=\"lb\",index=\"0\"} 2")
                .contains("netty_eventexecutor_workers{balancer=\"lb\"} 1.0");
        // Counters end in _total, and no gauge is named as if it were one.
        Matcher types = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(body);
        int counters = 0;
        while (types.find()) {
            if (types.group(2).equals("gauge")) {
                assertThat(types.group(1)).doesNotEndWith("_total");
            }
            if (types.group(2).equals("counter")) {
                counters++;
                assertThat(types.group(1)).endsWith("_total");
            }
        }
        assertThat(counters).isGreaterThanOrEqualTo(5);
    }

    @Test
    void statusJsonShowsServersAndClientsWithEveryStringEscaped() throws Exception {
        traffic();
        balancer.blacklistBackend(1, Duration.ofSeconds(30));
        HttpResponse<String> r = get("/status.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        String json = r.body();
        assertThat(json).startsWith("{\"balancer\":{\"name\":\"lb\",\"listen\":\"127.0.0.1:0\",\"connections\":0,")
                .contains("{\"index\":0,\"address\":\"127.0.0.1\",\"port\":" + backend.port()
                        + ",\"state\":\"up\",\"connections\":0,\"connections_total\":2,\"bytes_to_server\":0,"
                        + "\"bytes_from_server\":8,\"connect_failures\":0,\"last_failure\":null,"
                        + "\"blacklisted_until\":null,\"max\":0,\"hard\":0,\"weight\":0,\"prio\":0,"
                        + "\"last_check\":null}")
                .contains("\"address\":\"" + dir.toString().replace("\\", "\\\\") + "/odd\\\"<b>&'\\\\.sock\"")
                .contains("\"state\":\"blacklisted\"")
                .contains("\"clients_tracked\":2")
                .containsPattern("\\{\"address\":\"127.0.0.3\",\"last_connect\":\"[-0-9T:.]+Z\",\"server\":0,"
                        + "\"connects\":1,\"bytes_to_client\":4,\"bytes_from_client\":0}");
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(StatusDocuments.string("a\"b\\c\nd\u0001e\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001e\\u2028\"");
    }

    @Test
    void thePageHasARowPerServerWithEveryCellEscapedAndReloadsItself() throws Exception {
        traffic();
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("content-security-policy")).hasValue(
                "default-src 'none'; style-src 'unsafe-inline'");
        String page = r.body();
        assertThat(page).contains("<meta http-equiv=\"refresh\" content=\"2\">")
                .contains("<tr id=\"server-0\" class=\"up\"><td>0</td><td class=\"text\">127.0.0.1</td>")
                .contains("odd&quot;&lt;b&gt;&amp;&#39;\\.sock").doesNotContain(ODD).doesNotContain("<script")
                .contains("<td class=\"text\">127.0.0.2</td>");
        assertThat(Pattern.compile("<tr id=\"server-").matcher(page).results().count()).isEqualTo(2);
    }

    @Test
    void anyOtherPathIsNotFoundAndAnyOtherMethodNotAllowed() throws Exception {
        assertThat(get("/metrics/").statusCode()).isEqualTo(404);
        assertThat(get("/status").statusCode()).isEqualTo(404);
        assertThat(get("/metrics?x=1").statusCode()).isEqualTo(200);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void requestsPastTheLimitsAreAnsweredWithAnErrorAndClosed() throws Exception {
        assertThat(raw("127.0.0.2", "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
                .startsWith("HTTP/1.1 414 ");
        assertThat(raw("127.0.0.2", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ");
        assertThat(raw("127.0.0.2",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 413 ");
        assertThat(raw("127.0.0.2", "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
    }

    @Test
    void aClientTheControlAclDeniesIsClosedWithoutAnAnswer() throws Exception {
        assertThat(raw("127.0.0.9", "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).isEmpty();
        assertThat(diagnostics).contains("admin port: not from there: 127.0.0.9");
        assertThat(raw("127.0.0.8", "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
    }

    /** Sends {@code request} from {@code from} and returns everything read until the server closes. */
    private String raw(String from, String request) throws IOException {
        int port = ((InetSocketAddress) admin.localAddress()).getPort();
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (SocketException e) {
                // Closed before the request was all written: what came back is still read.
            }
            InputStream in = s.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketException e) {
                return "";
            }
        }
    }
}
