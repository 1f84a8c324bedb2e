package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real programs of the integration tests (bin/pen, bin/penctl, nginx, slapd, curl, ldapsearch) and
 * cleans up after them: every process started, and every daemon that left a pid file, is stopped by
 * {@link #close()}.
 */
final class Programs implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();
    private final List<Path> pidFiles = new ArrayList<>();
    private final Path dir;

    Programs(Path dir) {
        this.dir = dir;
    }

    /** The project's root, where bin/ is. */
    static Path home() {
        return Path.of(System.getProperty("pen.home", "..")).toAbsolutePath().normalize();
    }

    static String bin(String script) {
        return home().resolve("bin").resolve(script).toString();
    }

    /**
     * Skips the test when {@code program} is not installed, except on CI (env CI=true), where it fails.
     */
    static void require(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String sub : new String[] {"", "../sbin"}) {
                if (Files.isExecutable(Path.of(d, sub, program))) {
                    return;
                }
            }
        }
        for (String d : new String[] {"/usr/sbin", "/sbin"}) {
            if (Files.isExecutable(Path.of(d, program))) {
                return;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(program + " is not installed (CI=true: a missing program fails the test)");
        }
        Assumptions.abort(program + " is not installed");
    }

    /** An unused TCP port on loopback, chosen by the OS. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The outcome of a program run to its end. */
    record Result(int status, String out, String err) {
    }

    /** Runs a program to its end (at most {@code timeout}), capturing its output. */
    Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), command);
    }

    /** Runs a program to its end (at most {@code timeout}) with {@code env} added to its environment. */
    Result run(Duration timeout, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        String name = Path.of(command[0]).getFileName() + "-" + System.nanoTime();
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        Process p = builder.start();
        started.add(p);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(Arrays.toString(command) + " did not end within " + timeout);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    /** Starts a long-running program; its output goes to {@code name}.out and .err in the test directory. */
    Process start(String name, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        started.add(p);
        return p;
    }

    /** What a started program wrote to stderr so far. */
    String errors(String name) throws IOException {
        Path f = dir.resolve(name + ".err");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
    }

    /**
     * Waits until what {@code name} wrote to stderr contains {@code text}: a program may write a line after its
     * answer reached the client (pen's diagnostics are written by a thread of their own).
     */
    void awaitErrors(String name, String text, Duration timeout) {
        await(name + " writing \"" + text + "\"", timeout, () -> {
            try {
                return errors(name).contains(text);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** Remembers a daemon's pid file, so that {@link #close()} stops it if the test did not. */
    void daemon(Path pidFile) {
        pidFiles.add(pidFile);
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + timeout + " waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** True when something accepts connections on 127.0.0.1:{@code port}. */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static long readPid(Path pidFile) throws IOException {
        return Long.parseLong(Files.readString(pidFile).trim());
    }

    @Override
    public void close() throws IOException {
        for (Path pidFile : pidFiles) {
            if (Files.exists(pidFile)) {
                try {
                    ProcessHandle.of(readPid(pidFile)).ifPresent(this::stop);
                } catch (NumberFormatException e) {
                    // An unreadable pid file names nothing to stop.
                }
            }
        }
        for (Process p : started) {
            stop(p.toHandle());
        }
    }

    private void stop(ProcessHandle h) {
        h.descendants().forEach(ProcessHandle::destroy);
        h.destroy();
        try {
            h.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        }
    }
}
