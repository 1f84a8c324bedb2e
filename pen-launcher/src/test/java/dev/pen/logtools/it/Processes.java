package dev.pen.logtools.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.ChildProcess;
import dev.pen.netty.testing.Programs;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The programs of the end-to-end tests: bin/pen, curl, and the log tools' main classes as processes of their own. */
final class Processes {
    /** Generous: bin/pen builds its jars on first use when a test runs outside the Maven reactor. */
    static final Duration START = Duration.ofSeconds(120);
    static final Duration RUN = Duration.ofSeconds(30);

    private Processes() {
    }

    /** The project's root, where bin/ is (set by failsafe; the module's parent when run from an IDE). */
    static Path home() {
        return Path.of(System.getProperty("pen.home", "..")).toAbsolutePath().normalize();
    }

    /**
     * Starts {@code bin/pen -f -p pen.pid ARGS} in {@code dir} and returns once its pid file is there, which pen
     * writes after its listener is bound.
     */
    static ChildProcess startPen(Path dir, String... args) {
        Path pidFile = dir.resolve("pen.pid");
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/pen").toString(), "-f", "-p",
                pidFile.toString()));
        command.addAll(List.of(args));
        ChildProcess pen = ChildProcess.start(dir, "pen", Map.of(), command);
        Await.until("bin/pen to write its pid file", START, () -> Files.exists(pidFile) || !pen.isAlive());
        assertThat(pen.isAlive()).as("bin/pen running; %s", pen.output()).isTrue();
        return pen;
    }

    /** One HTTP request through pen from client address {@code from}; returns the body (the backend's name). */
    static String curl(String from, int port, String target) {
        return Programs.check(List.of("curl", "-s", "-S", "--max-time", "10", "--interface", from,
                "http://127.0.0.1:" + port + target)).trim();
    }

    /** The command that runs a log tool's main class on this JVM with the test's class path. */
    static List<String> java(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs {@code command} in {@code dir} as a shell would with {@code < stdin > stdout} (stdin may be null: empty),
     * with {@code TZ=UTC}, and fails the test unless it exits with status 0.
     */
    static void runToFile(Path dir, List<String> command, Path stdin, Path stdout) {
        Path err = dir.resolve(stdout.getFileName() + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                        : ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectOutput(stdout.toFile()).redirectError(err.toFile());
        builder.environment().put("TZ", "UTC");
        try {
            Process p = builder.start();
            if (!p.waitFor(RUN.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not end within " + RUN);
            }
            assertThat(p.exitValue()).as("exit status of %s; stderr: %s", command,
                    Files.readString(err, StandardCharsets.ISO_8859_1)).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        }
    }
}
