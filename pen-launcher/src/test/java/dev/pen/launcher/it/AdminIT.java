package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pen's {@code --admin} listener with the real programs that read it: a Prometheus scraping {@code /metrics}
 * and answering queries with the figures of the test's traffic, and a headless Chromium loading the status page;
 * and the start errors of a bad {@code --admin}.
 */
class AdminIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;
    private Programs programs;
    private NamedBackends backends;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() throws Exception {
        programs = new Programs(dir);
        backends = new NamedBackends(2);
    }

    @AfterEach
    void cleanUp() throws IOException {
        programs.close();
        backends.close();
    }

    /** Starts bin/pen in the foreground with the admin and control ports; returns its listen port. */
    private int startPen(int adminPort, int controlPort) throws Exception {
        int port = Programs.freePort();
        Path pid = dir.resolve("pen.pid");
        programs.start("pen", Programs.bin("pen"), "-f", "-u", USER, "-C", "127.0.0.1:" + controlPort, "--admin",
                Integer.toString(adminPort), "-p", pid.toString(), "127.0.0.1:" + port,
                "127.0.0.1:" + backends.port(0), "127.0.0.1:" + backends.port(1));
        // The pid file is written once the listener is bound; connecting to the listener to find out would count.
        Programs.await("pen's admin port and pid file", WAIT,
                () -> Files.exists(pid) && Programs.listening(adminPort));
        return port;
    }

    /** Connects from {@code from} through pen and returns the greeting (the backend's name). */
    private static String visit(String from, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            byte[] line = new byte[64];
            int n = s.getInputStream().read(line);
            return n <= 0 ? null : new String(line, 0, n, StandardCharsets.US_ASCII).trim();
        }
    }

    private static String control(int port, String command) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((command + "\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private String get(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    // ---- Prometheus -----------------------------------------------------------------------------------------------

    @Test
    void prometheusScrapesTheMetricsAndAnswersWithTheTrafficsFigures() throws Exception {
        Programs.require("prometheus");
        int adminPort = Programs.freePort();
        int port = startPen(adminPort, Programs.freePort());
        int prometheusPort = Programs.freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                + "scrape_configs:\n  - job_name: pen\n    static_configs:\n      - targets: ['127.0.0.1:" + adminPort
                + "']\n");
        programs.start("prometheus", "prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort);
        List<String> reached = new ArrayList<>();
        for (String from : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
            reached.add(visit(from, port));
        }
        assertThat(reached).containsOnly("backend1", "backend2");
        String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";
        String relayed = api + encode("pen_connections_total{job=\"pen\",outcome=\"relayed\"}");
        try {
            Programs.await("Prometheus to hold the three connections", WAIT, () -> value(get(relayed)).equals("3"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nlast answer: " + get(relayed) + "\ntargets: "
                    + get("http://127.0.0.1:" + prometheusPort + "/api/v1/targets") + "\nprometheus said:\n"
                    + programs.errors("prometheus"), e);
        }
        // Every backend greets with its name and a newline: 9 bytes each way the servers sent.
        assertThat(value(get(api + encode("sum(pen_backend_bytes_total{direction=\"out\"})")))).isEqualTo("27");
        assertThat(value(get(api + encode("sum(pen_backend_connections_total)")))).isEqualTo("3");
        assertThat(value(get(api + encode("sum(pen_backend_connect_time_seconds_count)")))).isEqualTo("3");
        assertThat(value(get(api + encode("count(pen_backend_state{state=\"up\"} == 1)")))).isEqualTo("2");
        assertThat(value(get(api + encode("up{job=\"pen\"}")))).isEqualTo("1");
    }

    private static String encode(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }

    /** The value of the one sample in a query's answer, or "" when there is not exactly one. */
    private static String value(String answer) {
        Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]*)\"\\]").matcher(answer);
        List<String> values = new ArrayList<>();
        while (m.find()) {
            values.add(m.group(1));
        }
        return values.size() == 1 ? values.get(0) : "";
    }

    // ---- Chromium -----------------------------------------------------------------------------------------------

    @Test
    void chromiumShowsARowPerServerAndTheStateOfABlacklistedOne() throws Exception {
        Programs.require("chromium");
        int adminPort = Programs.freePort();
        int controlPort = Programs.freePort();
        int port = startPen(adminPort, controlPort);
        visit("127.0.0.2", port);
        visit("127.0.0.3", port);
        String page = "http://127.0.0.1:" + adminPort + "/";

        String before = chromium("--dump-dom", page);
        assertThat(rows(before)).containsExactly("server-0 up", "server-1 up");
        assertThat(before).contains("<td class=\"text\">127.0.0.2</td>").contains("<td class=\"text\">127.0.0.3</td>");

        assertThat(control(controlPort, "server 1 blacklist 30")).isEmpty();
        String after = chromium("--dump-dom", page);
        assertThat(rows(after)).containsExactly("server-0 up", "server-1 blacklisted");

        Path shot = Path.of("target", "status-page.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium("--screenshot=" + shot, "--window-size=1100,480", "--hide-scrollbars", page);
        assertThat(shot).isNotEmptyFile();
        byte[] png = Files.readAllBytes(shot);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    /** The server rows of a page's DOM: each row's id and class. */
    private static List<String> rows(String dom) {
        Matcher m = Pattern.compile("<tr id=\"(server-\\d+)\" class=\"(\\w+)\">").matcher(dom);
        List<String> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(m.group(1) + " " + m.group(2));
        }
        return rows;
    }

    /** Runs headless Chromium with its own profile in the test directory; returns what it printed. */
    private String chromium(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("chromium-profile")));
        cmd.addAll(List.of(args));
        Programs.Result r = programs.run(WAIT, cmd.toArray(String[]::new));
        assertThat(r.status()).as("chromium: %s", r.err()).isZero();
        return r.out();
    }

    // ---- start errors -------------------------------------------------------------------------------------------

    @Test
    void aBadAdminAddressIsOneLineAndStatusOne() throws Exception {
        for (String bad : List.of("70000", "0", "/tmp/admin.sock", "127.0.0.1:", "")) {
            Programs.Result r = programs.run(WAIT, Programs.bin("pen"), "--admin", bad, "127.0.0.1:18999",
                    "127.0.0.1:" + backends.port(0));
            assertThat(r.status()).as(bad).isEqualTo(1);
            assertThat(r.err()).as(bad).isEqualTo("pen: --admin: unexpected address: " + bad
                    + " (expected [host:]port with a port of 1..65535; a bare port binds 127.0.0.1)\n");
        }
    }

    @Test
    void anAdminPortInUseStopsTheStartBeforeTheBackgroundWithOneLine() throws Exception {
        int port = Programs.freePort();
        Path pid = dir.resolve("pen.pid");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Programs.Result r = programs.run(WAIT, Programs.bin("pen"), "--admin", "127.0.0.1:" + taken.getLocalPort(),
                    "-p", pid.toString(), "127.0.0.1:" + port, "127.0.0.1:" + backends.port(0));
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("pen: can't open admin port 127.0.0.1:" + taken.getLocalPort()
                    + ": Address already in use\n");
        }
        assertThat(pid).doesNotExist();
        assertThat(Programs.listening(port)).isFalse();
    }
}
