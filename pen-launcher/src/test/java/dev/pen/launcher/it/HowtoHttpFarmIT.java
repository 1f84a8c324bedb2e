package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.Nginx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HOWTO's http farm: {@code pen -l pen.log -p pen.pid lbhost:80 host1:80 host2:80}, here with two nginx on
 * loopback ports, pen started without -f (it goes to the background), curl as the client.
 */
class HowtoHttpFarmIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path farm;
    private static Nginx backend1;
    private static Nginx backend2;
    private static int port1;
    private static int port2;
    @TempDir
    Path dir;
    private Programs programs;

    @BeforeAll
    static void twoNginx() {
        backend1 = Nginx.start(farm, "backend1", "127.0.0.1");
        backend2 = Nginx.start(farm, "backend2", "127.0.0.1");
        port1 = backend1.port();
        port2 = backend2.port();
    }

    @AfterAll
    static void stopNginx() {
        if (backend2 != null) {
            backend2.close();
        }
        if (backend1 != null) {
            backend1.close();
        }
    }

    @BeforeEach
    void programs() {
        Programs.require("curl");
        programs = new Programs(dir);
    }

    @AfterEach
    void cleanUp() throws IOException {
        programs.close();
    }

    /** Starts bin/pen in the background as the HOWTO does and returns its listen port. */
    private int startPen(String... options) throws Exception {
        int port = Programs.freePort();
        List<String> cmd = new ArrayList<>(List.of(Programs.bin("pen"), "-l", "pen.log", "-p", "pen.pid"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1:" + port, "127.0.0.1:" + port1, "127.0.0.1:" + port2));
        programs.daemon(dir.resolve("pen.pid"));
        Programs.Result r = programs.run(WAIT, cmd.toArray(String[]::new));
        assertThat(r.status()).as("bin/pen exit status; stderr: %s", r.err()).isZero();
        return port;
    }

    private String curl(int port) throws Exception {
        Programs.Result r = programs.run(WAIT, "curl", "-s", "-S", "--max-time", "10", "http://127.0.0.1:" + port + "/");
        assertThat(r.status()).as("curl: %s", r.err()).isZero();
        return r.out().trim();
    }

    @Test
    void startsInTheBackgroundWithListenerBoundAndPidFileWritten() throws Exception {
        int port = startPen();
        assertThat(Programs.listening(port)).isTrue();
        long pid = Programs.readPid(dir.resolve("pen.pid"));
        assertThat(Files.readString(dir.resolve("pen.pid"))).doesNotEndWith("\n");
        assertThat(Programs.alive(pid)).isTrue();
    }

    @Test
    void clientSticksToItsServerByDefault() throws Exception {
        int port = startPen();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(curl(port));
        }
        assertThat(answers).containsOnly(answers.get(0));
        assertThat(answers.get(0)).isIn("backend1", "backend2");
    }

    @Test
    void roundRobinAlternatesBetweenServers() throws Exception {
        int port = startPen("-r");
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(curl(port));
        }
        assertThat(answers).containsExactly("backend2", "backend1", "backend2", "backend1", "backend2", "backend1");
    }

    @Test
    void logHasOneLineOfPensFormatPerRequest() throws Exception {
        int port = startPen();
        for (int i = 0; i < 3; i++) {
            curl(port);
        }
        Path log = dir.resolve("pen.log");
        Programs.await("3 log lines", WAIT, () -> lines(log).size() == 3);
        assertThat(lines(log)).allMatch(l -> l.matches("127\\.0\\.0\\.1 \\d{10} 127\\.0\\.0\\.1 GET / HTTP/1\\.1"));
    }

    @Test
    void rotationByHupLosesNoLine() throws Exception {
        int port = startPen();
        curl(port);
        curl(port);
        Files.move(dir.resolve("pen.log"), dir.resolve("pen.log.1"));
        long pid = Programs.readPid(dir.resolve("pen.pid"));
        assertThat(programs.run(WAIT, "kill", "-HUP", Long.toString(pid)).status()).isZero();
        Programs.await("a new pen.log after HUP", WAIT, () -> Files.exists(dir.resolve("pen.log")));
        curl(port);
        Programs.await("2 lines in pen.log.1 and 1 in pen.log", WAIT,
                () -> lines(dir.resolve("pen.log.1")).size() == 2 && lines(dir.resolve("pen.log")).size() == 1);
    }

    @Test
    void termThroughThePidFileStopsPenAndRemovesThePidFile() throws Exception {
        int port = startPen();
        curl(port);
        Path pidFile = dir.resolve("pen.pid");
        long pid = Programs.readPid(pidFile);
        assertThat(programs.run(WAIT, "kill", "-TERM", Long.toString(pid)).status()).isZero();
        Programs.await("pen to exit", WAIT, () -> !Programs.alive(pid));
        assertThat(pidFile).doesNotExist();
        assertThat(Programs.listening(port)).isFalse();
        assertThat(lines(dir.resolve("pen.log"))).hasSize(1);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
