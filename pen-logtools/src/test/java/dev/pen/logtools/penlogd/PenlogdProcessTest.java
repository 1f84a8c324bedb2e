package dev.pen.logtools.penlogd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** penlogd as its own process: going to the background, the pid file, HUP and TERM. */
class PenlogdProcessTest {

    @TempDir
    Path dir;

    final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (ProcessHandle p : started) {
            p.destroyForcibly();
            p.onExit().orTimeout(5, TimeUnit.SECONDS).join();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    static ProcessBuilder penlogd(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Penlogd.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * penlogd without {@code -f} as {@code bin/penlogd} starts it (through {@code pen_background} of
     * {@code bin/_common.sh}), on this test's class path instead of the packaged jar.
     */
    static ProcessBuilder penlogdInTheBackground(String... args) {
        Path common = Path.of(System.getProperty("pen.home", "..")).resolve("bin/_common.sh").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of("bash", "-c", ". \"$0\" && pen_background '' \"$@\"",
            common.toString()));
        command.addAll(penlogd(args).command());
        return new ProcessBuilder(command);
    }

    static void send(int port, String source, String lines) {
        int status = Penlog.run(new String[] {"127.0.0.1", Integer.toString(port), source},
            new ByteArrayInputStream(lines.getBytes(StandardCharsets.ISO_8859_1)),
            new PrintStream(new ByteArrayOutputStream(), true));
        assertThat(status).isZero();
    }

    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object lock = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            synchronized (lock) {
                try {
                    lock.wait(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void withoutMinusFItGoesToTheBackgroundWritesItsPidAndTermRemovesIt() throws Exception {
        int port = freeUdpPort();
        Path log = dir.resolve("access_log");
        Path pid = dir.resolve("penlogd.pid");
        Process parent = penlogdInTheBackground("-b", "-l", log.toString(), "-p", pid.toString(), "127.0.0.1:" + port)
            .redirectErrorStream(true).start();
        assertThat(parent.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(parent.exitValue()).as(new String(parent.getInputStream().readAllBytes())).isZero();
        Optional<ProcessHandle> daemon = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()));
        daemon.ifPresent(started::add);
        assertThat(daemon).get().matches(ProcessHandle::isAlive);

        send(port, "127.0.0.1", "+ 10.5.5.5 127.0.0.3 GET / HTTP/1.1\n");
        send(port, "127.0.0.3", "127.0.0.1 - - [x] \"GET / HTTP/1.1\" 200 1\n");
        assertThat(await(() -> read(log).equals("10.5.5.5 - - [x] \"GET / HTTP/1.1\" 200 1\n"),
            Duration.ofSeconds(5))).as(read(log)).isTrue();

        daemon.get().destroy();
        assertThat(daemon.get().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(pid).doesNotExist();
    }

    @Test
    void startErrorInTheBackgroundIsReportedWithNonZeroStatus() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Process parent = penlogdInTheBackground("127.0.0.1:" + taken.getLocalPort()).redirectErrorStream(true).start();
            assertThat(parent.waitFor(20, TimeUnit.SECONDS)).isTrue();

            assertThat(parent.exitValue()).isEqualTo(1);
            assertThat(new String(parent.getInputStream().readAllBytes())).isEqualTo(
                "penlogd: Problem binding to 127.0.0.1:" + taken.getLocalPort() + ": Address already in use\n");
        }
    }

    @Test
    void hupReopensTheLogFileAfterItWasMoved() throws Exception {
        int port = freeUdpPort();
        Path log = dir.resolve("access_log");
        Path pid = dir.resolve("penlogd.pid");
        Process process = penlogd("-f", "-b", "-l", log.toString(), "-p", pid.toString(), "127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(dir.resolve("stdout").toFile()).start();
        started.add(process.toHandle());
        assertThat(await(() -> Files.exists(pid), Duration.ofSeconds(20))).isTrue();
        send(port, "127.0.0.3", "127.0.0.1 - - [x] \"GET /one HTTP/1.1\" 200 1\n");
        assertThat(await(() -> !read(log).isEmpty(), Duration.ofSeconds(5))).isTrue();
        Files.move(log, dir.resolve("access_log.1"));

        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
        assertThat(kill.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(await(() -> Files.exists(log), Duration.ofSeconds(5))).as("log reopened").isTrue();
        send(port, "127.0.0.3", "127.0.0.1 - - [x] \"GET /two HTTP/1.1\" 200 1\n");

        assertThat(await(() -> !read(log).isEmpty(), Duration.ofSeconds(5))).isTrue();
        assertThat(read(log)).isEqualTo("127.0.0.1 - - [x] \"GET /two HTTP/1.1\" 200 1\n");
        assertThat(read(dir.resolve("access_log.1"))).isEqualTo("127.0.0.1 - - [x] \"GET /one HTTP/1.1\" 200 1\n");
        process.destroy();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pid).doesNotExist();
    }
}
