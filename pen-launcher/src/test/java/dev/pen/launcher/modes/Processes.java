package dev.pen.launcher.modes;

import static org.assertj.core.api.Assertions.fail;

import dev.pen.netty.testing.Await;
import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * The programs a protocol-mode test runs (bin/pen, bin/penctl, and the real servers and clients: curl, openssl,
 * swaks, dovecot, dnsmasq, dig), with their output in the test's directory. {@link #close()} stops every process
 * started and every bin/pen that went to the background.
 */
final class Processes implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    /** The user bin/pen runs as: pen opens no control port as root without -u, and -u with oneself just runs. */
    static final String USER = System.getProperty("user.name");

    private final Path dir;
    private final List<Process> started = new ArrayList<>();
    private final List<Path> pidFiles = new ArrayList<>();

    Processes(Path dir) {
        this.dir = dir;
    }

    /** The result of a program run to its end. */
    record Result(int status, String out, String err) {
    }

    static String bin(String script) {
        return Path.of(System.getProperty("pen.home", "..")).toAbsolutePath().normalize().resolve("bin")
                .resolve(script).toString();
    }

    /** Skips the test when {@code program} is not installed, except under CI=true, where that is a failure. */
    static void require(String program) {
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "/usr/bin:/bin")
                .split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return;
            }
        }
        skipOrFail(program + " is not installed");
    }

    /** Skips the test for {@code reason}, or fails it under CI=true, where everything a test needs is there. */
    static void skipOrFail(String reason) {
        if ("true".equals(System.getenv("CI"))) {
            fail(reason + " (CI=true: the test cannot be skipped)");
        }
        Assumptions.abort(reason);
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A port free for both TCP and UDP on loopback (a DNS server takes both). */
    static int freeTcpAndUdpPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return udp.getLocalPort();
            } catch (java.net.BindException e) {
                // Taken for UDP: another try.
            }
        }
        throw new IOException("no port free for both TCP and UDP on loopback after 50 tries");
    }

    /** True when something accepts TCP connections on 127.0.0.1:{@code port}. */
    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a program to its end, failing the test if it takes longer than {@link #WAIT}. */
    Result run(String... command) throws IOException, InterruptedException {
        String name = Path.of(command[0]).getFileName() + "-" + System.nanoTime();
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        started.add(p);
        if (!p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(Arrays.toString(command) + " did not end within " + WAIT);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    /** Runs a program that must succeed and returns its standard output. */
    String check(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.status() != 0) {
            fail(String.join(" ", command) + " exited " + r.status() + ":\n" + r.out() + r.err());
        }
        return r.out();
    }

    /** Starts a long-running program; its output goes to {@code name}.out and .err in the test directory. */
    Process start(String name, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        started.add(p);
        return p;
    }

    /**
     * Starts bin/pen as the HOWTO does, in the background with {@code -p pidFile} (which is added here): it returns
     * once pen is bound and serving. Returns what pen printed before it left.
     */
    Result pen(String pidFile, String... args) throws IOException, InterruptedException {
        Path pid = dir.resolve(pidFile);
        List<String> command = new ArrayList<>(List.of(bin("pen"), "-p", pid.toString()));
        command.addAll(List.of(args));
        pidFiles.add(pid);
        Result r = run(command.toArray(String[]::new));
        if (r.status() != 0) {
            fail("bin/pen " + String.join(" ", args) + " exited " + r.status() + ":\n" + r.out() + r.err());
        }
        return r;
    }

    /** bin/penctl {@code control} {@code command}: its output, which must come with status 0. */
    String penctl(String control, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(bin("penctl"), control));
        c.addAll(List.of(command));
        return check(c.toArray(String[]::new));
    }

    /**
     * Waits until {@code condition} holds, at most {@link #WAIT}; on timeout fails showing what the programs
     * started as {@code names} wrote to stdout and stderr, and the files {@code files} of the test directory.
     */
    void await(String what, BooleanSupplier condition, String... names) {
        try {
            Await.until(what, WAIT, condition);
        } catch (AssertionError e) {
            StringBuilder shown = new StringBuilder(e.getMessage());
            for (String name : names) {
                for (String suffix : new String[] {".out", ".err", ""}) {
                    Path f = dir.resolve(name + suffix);
                    try {
                        if (Files.isRegularFile(f)) {
                            shown.append("\n--- ").append(name).append(suffix).append(":\n")
                                    .append(Files.readString(f, StandardCharsets.ISO_8859_1));
                        }
                    } catch (IOException io) {
                        shown.append("\n--- ").append(name).append(suffix).append(": ").append(io.getMessage());
                    }
                }
            }
            throw new AssertionError(shown.toString(), e);
        }
    }

    /** What {@code file} of the test directory holds now, or a note that it is missing. */
    String show(String file) {
        try {
            return Files.readString(dir.resolve(file), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(" + file + ": " + e.getMessage() + ")";
        }
    }

    /** The pid in {@code pidFile} (pen's format: digits, no newline). */
    long pid(String pidFile) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(pidFile)).trim());
    }

    @Override
    public void close() {
        for (Path pidFile : pidFiles) {
            try {
                if (Files.exists(pidFile)) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(Processes::stop);
                }
            } catch (IOException | NumberFormatException e) {
                // Nothing readable to stop.
            }
        }
        for (Process p : started) {
            stop(p.toHandle());
        }
    }

    private static void stop(ProcessHandle h) {
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
