package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.Nginx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pen under sustained load for a bounded time: keep-alive requests and a new connection per request at once,
 * through two nginx. Samples the balancer's resident memory, heap after a full GC and open descriptors, writes them
 * to {@code target/soak-samples.csv}, and checks that descriptors and heap stay flat and no buffer leak is reported
 * (the leak detector at paranoid). The duration is {@code -Dpen.soak.seconds} (30 in verify; the {@code soak}
 * profile sets 600).
 */
class SoakIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * The old generation's use in {@code jcmd GC.heap_info} (bin/pen runs the serial collector): right after a full
     * GC it holds what is live; the young generation fills again at once under load. Named "tenured generation"
     * up to JDK 21 and "Tenured" after.
     */
    private static final Pattern HEAP_USED = Pattern.compile(
            "(?:tenured generation|Tenured)\\s+total \\d+K, used (\\d+)K");

    @TempDir
    Path dir;
    private Programs programs;
    private final List<Nginx> web = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        if (programs != null) {
            programs.close();
        }
        web.forEach(Nginx::close);
    }

    /** One sample: seconds since the start, resident set (KiB), heap used after a full GC (KiB), descriptors. */
    private record Sample(long seconds, long rssKib, long heapKib, long descriptors, long served) {
        String csv() {
            return seconds + "," + rssKib + "," + heapKib + "," + descriptors + "," + served;
        }
    }

    private Sample sample(long pid, long start) throws Exception {
        long rss = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("\\D", "")).mapToLong(Long::parseLong)
                .findFirst().orElse(-1);
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds = s.count();
        }
        programs.run(WAIT, "jcmd", Long.toString(pid), "GC.run");
        Programs.Result heap = programs.run(WAIT, "jcmd", Long.toString(pid), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(heap.out());
        assertThat(m.find()).as("jcmd GC.heap_info: %s", heap.out()).isTrue();
        long served = web.stream().mapToLong(n -> n.accessLines().size()).sum();
        return new Sample((System.nanoTime() - start) / 1_000_000_000L, rss, Long.parseLong(m.group(1)), fds, served);
    }

    @Test
    void sustainedLoadKeepsDescriptorsAndHeapFlatAndLeaksNoBuffer() throws Exception {
        Programs.require("jcmd");
        programs = new Programs(dir);
        long seconds = Long.getLong("pen.soak.seconds", 30);
        long every = Math.max(5, seconds / 40);
        web.add(Nginx.start(dir, "web0", "127.0.0.1"));
        web.add(Nginx.start(dir, "web1", "127.0.0.1"));
        int port = Programs.freePort();
        Path pidFile = dir.resolve("pen.pid");
        Process pen = programs.start("pen", "env", "PEN_JAVA_OPTS=-Dio.netty.leakDetection.level=paranoid",
                Programs.bin("pen"), "-f", "-u", System.getProperty("user.name"), "-H", "-r", "-x", "64",
                "-l", dir.resolve("pen.log").toString(), "-p", pidFile.toString(), "127.0.0.1:" + port,
                web.get(0).address(), web.get(1).address());
        Programs.await("pen to listen", WAIT, () -> !pen.isAlive() || Programs.listening(port)
                && Files.exists(pidFile));
        assertThat(pen.isAlive()).as("pen started: %s", programs.errors("pen")).isTrue();
        long pid = Programs.readPid(pidFile);
        String url = "http://127.0.0.1:" + port + "/";
        Process keepAlive = programs.start("wrk", Wrk.command(dir, url, 1, 8, (int) seconds + 5)
                .toArray(String[]::new));
        Process churn = programs.start("wrk-close", Wrk.command(dir, url, 1, 4, (int) seconds + 5, "-H",
                "Connection: close").toArray(String[]::new));
        Programs.await("requests through pen", WAIT, () -> web.get(0).accessLines().size() > 100);
        long start = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        samples.add(sample(pid, start));
        for (long next = every; next <= seconds; next += every) {
            long at = start + next * 1_000_000_000L;
            Programs.await("the next sample time", Duration.ofSeconds(every + 5), () -> System.nanoTime() >= at);
            samples.add(sample(pid, start));
        }
        Programs.await("wrk to finish", WAIT, () -> !keepAlive.isAlive() && !churn.isAlive());
        Wrk.Summary kept = Wrk.summary(dir.resolve("wrk.out"));
        Wrk.Summary closed = Wrk.summary(dir.resolve("wrk-close.out"));
        Path csv = Path.of("target", "soak-samples.csv");
        List<String> rows = new ArrayList<>(List.of("seconds,rss_kib,heap_after_gc_kib,descriptors,served"));
        samples.forEach(s -> rows.add(s.csv()));
        Files.createDirectories(csv.getParent());
        Files.write(csv, rows, StandardCharsets.US_ASCII);
        System.out.printf("soak %d s: %d keep-alive and %d new-connection requests, non-2xx %d, socket errors %d;"
                + " samples in %s:%n%s%n", seconds, kept.requests(), closed.requests(),
                kept.non2xx() + closed.non2xx(), kept.socketErrors() + closed.socketErrors(), csv.toAbsolutePath(),
                String.join("\n", rows));
        assertThat(kept.non2xx() + closed.non2xx()).isZero();
        assertThat(kept.requests() + closed.requests()).isPositive();
        Sample first = samples.get(1 < samples.size() ? 1 : 0);
        Sample last = samples.get(samples.size() - 1);
        assertThat(last.descriptors()).as("open descriptors, first %s last %s", first, last)
                .isLessThanOrEqualTo(first.descriptors() + 48);
        assertThat(last.heapKib()).as("heap after GC, first %s last %s", first, last)
                .isLessThanOrEqualTo(first.heapKib() * 3 / 2 + 8 * 1024);
        pen.destroy();
        Programs.await("pen to exit", WAIT, () -> !pen.isAlive());
        assertThat(programs.errors("pen")).as("pen's diagnostics").doesNotContain("LEAK");
    }
}
