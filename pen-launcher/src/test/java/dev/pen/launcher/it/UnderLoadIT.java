package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.Nginx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pen in http mode in front of nginx servers while wrk loads it: changes made meanwhile (servers added,
 * removed, drained, blacklisted, modes switched, the -F file written and read again by HUP, the log rotated) cost
 * no request and no log line; kill -9 loses at most the last second of log lines; a -F file written by
 * {@code write} survives kill -9; TERM stops an idle balancer at once.
 */
class UnderLoadIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String USER = System.getProperty("user.name");
    private static final int CONNECTIONS = 8;
    /** A line of pen's log for one of wrk's requests: client, time, server, request line. */
    private static final String LOG_LINE = "127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 GET /\\?r=\\d+-\\d+ HTTP/1\\.1";

    @TempDir
    Path dir;
    private Programs programs;
    private final List<Nginx> web = new ArrayList<>();
    private int port;
    private String control;
    private Process pen;

    @BeforeEach
    void setUp() {
        programs = new Programs(dir);
    }

    @AfterEach
    void cleanUp() throws IOException {
        programs.close();
        web.forEach(Nginx::close);
    }

    private void nginx(int count) {
        for (int i = 0; i < count; i++) {
            web.add(Nginx.start(dir, "web" + i, "127.0.0.1"));
        }
    }

    /** Starts bin/pen -f -H with the log, pid file, control port, an -F file and the first {@code servers}. */
    private void startPen(int servers, String... options) throws Exception {
        port = Programs.freePort();
        int controlPort = Programs.freePort();
        control = "127.0.0.1:" + controlPort;
        Path config = dir.resolve("pen.cfg");
        if (!Files.exists(config)) {
            Files.writeString(config, "");
        }
        List<String> cmd = new ArrayList<>(List.of(Programs.bin("pen"), "-f", "-u", USER, "-H", "-X", "-C", control,
                "-l", dir.resolve("pen.log").toString(), "-p", dir.resolve("pen.pid").toString(), "-F",
                config.toString()));
        cmd.addAll(List.of(options));
        cmd.add("127.0.0.1:" + port);
        for (int i = 0; i < servers; i++) {
            cmd.add(web.get(i).address());
        }
        pen = programs.start("pen", cmd.toArray(String[]::new));
        Programs.await("pen's listener and control port", WAIT,
                () -> !pen.isAlive() || Programs.listening(port) && Programs.listening(controlPort));
        assertThat(pen.isAlive()).as("pen started: %s", programs.errors("pen")).isTrue();
    }

    private String penctl(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Programs.bin("penctl"), control));
        cmd.addAll(List.of(command));
        Programs.Result r = programs.run(WAIT, cmd.toArray(String[]::new));
        assertThat(r.status()).as("penctl %s: %s", List.of(command), r.err()).isZero();
        return r.out();
    }

    private Process wrk(int seconds, String... extra) throws IOException {
        return programs.start("wrk", Wrk.command(dir, "http://127.0.0.1:" + port + "/", 2, CONNECTIONS, seconds,
                extra).toArray(String[]::new));
    }

    /**
     * One command sent straight to the control port, as penctl sends it (a line; the reply is what comes back until
     * the balancer closes): quicker than a penctl process while wrk runs.
     */
    private String command(String line) throws IOException {
        String[] hostPort = control.split(":");
        try (java.net.Socket s = new java.net.Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private Wrk.Summary wrkSummary(Process wrk) throws Exception {
        Programs.await("wrk to finish", WAIT, () -> !wrk.isAlive());
        return Wrk.summary(dir.resolve("wrk.out"));
    }

    /** Every line of pen.log and of its rotated copies (pen.log.N). */
    private List<String> logLines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("pen.log")).sorted().toList()) {
                lines.addAll(Files.readAllLines(f, StandardCharsets.ISO_8859_1));
            }
        }
        return lines;
    }

    private long servedByNginx() {
        return web.stream().mapToLong(n -> n.accessLines().size()).sum();
    }

    private void signal(String name) throws Exception {
        programs.run(WAIT, "kill", "-" + name, Long.toString(pen.pid()));
    }

    /** Stops pen with TERM (which flushes its log) and waits for its exit. */
    private void stopPen() throws Exception {
        pen.destroy();
        Programs.await("pen to exit", WAIT, () -> !pen.isAlive());
    }

    /**
     * Each request read gives a line: wrk's answered requests, plus at most one unanswered request per connection
     * at wrk's end; no line twice, none malformed.
     */
    private static void assertLinesMatchRequests(List<String> lines, Wrk.Summary wrk) {
        assertThat(lines).allSatisfy(line -> assertThat(line).matches(LOG_LINE));
        Set<String> requests = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        for (String line : lines) {
            if (!requests.add(line.substring(line.indexOf("GET ")))) {
                repeated.add(line);
            }
        }
        assertThat(repeated).as("log lines repeated").isEmpty();
        assertThat((long) lines.size()).as("log lines for %d requests answered", wrk.requests())
                .isBetween(wrk.requests(), wrk.requests() + CONNECTIONS);
    }

    @Test
    void changesUnderLoadCostNoRequestAndNoLogLine() throws Exception {
        nginx(4);
        startPen(3);
        Process load = wrk(6, "-H", "Connection: close");
        Programs.await("requests through pen", WAIT, () -> servedByNginx() > 100);
        String[] steps = {
            "server 3 address " + web.get(3).ip() + " port " + web.get(3).port(),
            "server 0 address 0.0.0.0",
            "server 1 drain 1",
            "server 2 blacklist 2",
            "roundrobin", "hash", "no hash", "weight", "no weight", "no roundrobin",
            "server 1 drain 0",
            "server 0 address " + web.get(0).ip() + " port " + web.get(0).port(),
            "write " + dir.resolve("pen.cfg"),
        };
        for (String step : steps) {
            long before = servedByNginx();
            assertThat(command(step)).as(step).isEmpty();
            Programs.await("requests served after " + step, WAIT, () -> servedByNginx() > before + 20);
        }
        signal("HUP"); // reads pen.cfg again
        for (int i = 1; i <= 3; i++) {
            Files.move(dir.resolve("pen.log"), dir.resolve("pen.log." + i));
            signal("HUP");
            Programs.await("pen.log reopened", WAIT, () -> Files.exists(dir.resolve("pen.log")));
        }
        assertThat(load.isAlive()).as("wrk still running after the changes").isTrue();
        Wrk.Summary summary = wrkSummary(load);
        stopPen();
        assertThat(summary.socketErrors()).as("socket errors: %s", summary.output()).isZero();
        assertThat(summary.non2xx()).as("answers not 2xx").isZero();
        assertThat(summary.requests()).isPositive();
        assertLinesMatchRequests(logLines(), summary);
    }

    @Test
    void hupStormWithRotationLosesAndRepeatsNoLine() throws Exception {
        nginx(2);
        startPen(2);
        Process load = wrk(5);
        Programs.await("requests through pen", WAIT, () -> servedByNginx() > 100);
        int rotations = 0;
        while (load.isAlive() && rotations < 30) {
            rotations++;
            Files.move(dir.resolve("pen.log"), dir.resolve("pen.log." + String.format("%03d", rotations)));
            signal("HUP");
            Programs.await("pen.log reopened", WAIT, () -> Files.exists(dir.resolve("pen.log")));
        }
        Wrk.Summary summary = wrkSummary(load);
        stopPen();
        assertThat(rotations).isGreaterThan(5);
        assertThat(summary.socketErrors()).as("socket errors: %s", summary.output()).isZero();
        assertThat(summary.non2xx()).isZero();
        assertLinesMatchRequests(logLines(), summary);
    }

    @Test
    void killDashNineUnderLoadLosesAtMostTheLastSecondOfLogLines() throws Exception {
        nginx(2);
        startPen(2, "-r");
        long start = System.nanoTime();
        Process load = wrk(10);
        Programs.await("two seconds of requests", WAIT, () -> System.nanoTime() - start > 2_000_000_000L
                && servedByNginx() > 1000);
        pen.destroyForcibly(); // SIGKILL: no flush, no clean-up
        Programs.await("pen gone", WAIT, () -> !pen.isAlive());
        double seconds = (System.nanoTime() - start) / 1e9;
        load.destroy();
        Programs.await("wrk gone", WAIT, () -> !load.isAlive());
        // nginx writes its line after its answer has gone out: wait until its count stands still.
        long[] last = {-1};
        Programs.await("nginx's logs to stand still", WAIT, () -> {
            long now = servedByNginx();
            boolean still = now == last[0];
            last[0] = now;
            if (!still) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
            return still;
        });
        long served = last[0];
        List<String> lines = logLines();
        assertThat(lines).allSatisfy(line -> assertThat(line).matches(LOG_LINE));
        long perSecond = (long) (served / seconds);
        assertThat((long) lines.size()).as("lines written for %d requests served at %d a second", served, perSecond)
                .isBetween(served - perSecond, served + CONNECTIONS);
        System.out.printf("kill -9 under load: %d requests served, %d log lines, %d a second%n", served,
                lines.size(), perSecond);
    }

    /** The blacklist time a -F file sets: its {@code blacklist N} line, or pen's default 30 without one. */
    private static String blacklistIn(Path config) throws IOException {
        return Files.readAllLines(config).stream().filter(l -> l.startsWith("blacklist ")).findFirst()
                .map(l -> l.substring("blacklist ".length())).orElse("30");
    }

    @Test
    void writeThenKillDashNineAlwaysLeavesAFileThatReadsBack() throws Exception {
        nginx(2);
        Path config = dir.resolve("pen.cfg");
        int written = 0;
        for (int round = 1; round <= 4; round++) {
            startPen(2); // reads the file the last round left
            assertThat(penctl("blacklist")).as("round %d reads back %s", round, config)
                    .isEqualTo(blacklistIn(config) + "\n");
            command("blacklist " + (40 + round));
            Process write = programs.start("write" + round, Programs.bin("penctl"), control, "write",
                    config.toString());
            if (round % 2 == 0) {
                Programs.await("the write done", WAIT, () -> !write.isAlive());
            }
            pen.destroyForcibly(); // SIGKILL, during the write in odd rounds
            Programs.await("pen gone", WAIT, () -> !pen.isAlive());
            Programs.await("penctl gone", WAIT, () -> !write.isAlive());
            String text = Files.readString(config);
            assertThat(text).as("round %d: the -F file is empty or pen's whole file", round)
                    .satisfiesAnyOf(t -> assertThat(t).isEmpty(), t -> assertThat(t).endsWith("no prio\n"));
            if (!text.isEmpty()) {
                written++;
            }
        }
        startPen(2);
        assertThat(penctl("blacklist")).isEqualTo(blacklistIn(config) + "\n");
        assertThat(written).as("rounds that left a file").isGreaterThanOrEqualTo(2);
    }

    @Test
    void termStopsAnIdleBalancerWellUnderASecond() throws Exception {
        nginx(1);
        startPen(1);
        Programs.Result r = programs.run(WAIT, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + port + "/");
        assertThat(r.out()).isEqualTo("200");
        long start = System.nanoTime();
        pen.destroy();
        Programs.await("pen to exit", WAIT, () -> !pen.isAlive());
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("bin/pen -f -H -l -C -F: TERM to exit in %d ms%n", millis);
        assertThat(millis).isLessThan(1_000L);
        assertThat(pen.exitValue()).isZero();
    }
}
