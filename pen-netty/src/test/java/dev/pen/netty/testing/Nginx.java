package dev.pen.netty.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An nginx web server as a child process of the test, for backends behind pen: its own configuration in a
 * directory of its own, in the foreground ({@code daemon off}, one process), listening on a loopback address and
 * a port the OS chose, serving {@code index.html} (its name and a newline) and writing a Combined Log Format
 * access log, and a second one of {@code "request line" "X-Forwarded-For"} lines. Its clock is read as UTC ({@code TZ=UTC}), so log times look alike on every machine.
 */
public final class Nginx implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(10);

    private final String ip;
    private final int port;
    private final Path root;
    private final ChildProcess process;

    private Nginx(String ip, int port, Path root, ChildProcess process) {
        this.ip = ip;
        this.port = port;
        this.root = root;
        this.process = process;
    }

    /**
     * Starts nginx named {@code name} (its directory under {@code dir}) on {@code ip}, a loopback address such as
     * 127.0.0.2, and returns once it listens. Skips the test when nginx is not installed (fails under CI).
     */
    public static Nginx start(Path dir, String name, String ip) {
        Path nginx = Programs.path("nginx");
        Path root = dir.resolve(name);
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve("index.html"), name + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The port is free when chosen but may be taken before nginx binds it: then nginx exits and another try
        // picks a new one.
        String failures = "";
        for (int attempt = 1; attempt <= 5; attempt++) {
            int port = freePort(ip);
            Path conf = writeConfig(root, ip, port);
            Path pidFile = root.resolve("nginx.pid");
            ChildProcess p = ChildProcess.start(root, "nginx", Map.of("TZ", "UTC"),
                    List.of(nginx.toString(), "-p", root.toString(), "-c", conf.toString()));
            // nginx writes its pid file after binding its listening sockets: no probe connection is needed.
            Await.until("nginx " + name + " to listen or exit", START, () -> Files.exists(pidFile) || !p.isAlive());
            if (p.isAlive()) {
                return new Nginx(ip, port, root, p);
            }
            failures += p.output();
            p.close();
        }
        throw new AssertionError("nginx " + name + " did not start:\n" + failures);
    }

    private static Path writeConfig(Path root, String ip, int port) {
        Path conf = root.resolve("nginx.conf");
        String text = String.join("\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + root.resolve("nginx.pid") + ";",
                "error_log " + root.resolve("error.log") + ";",
                "events { worker_connections 64; }",
                "http {",
                "  access_log " + root.resolve("access.log") + " combined;",
                "  log_format forwarded '\"$request\" \"$http_x_forwarded_for\"';",
                "  access_log " + root.resolve("forwarded.log") + " forwarded;",
                "  client_body_temp_path " + root.resolve("body") + ";",
                "  proxy_temp_path " + root.resolve("proxy") + ";",
                "  fastcgi_temp_path " + root.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + root.resolve("uwsgi") + ";",
                "  scgi_temp_path " + root.resolve("scgi") + ";",
                "  server { listen " + ip + ":" + port + "; root " + root + "; }",
                "}", "");
        try {
            Files.writeString(conf, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return conf;
    }

    private static int freePort(String ip) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + ip, e);
        }
    }

    public String ip() {
        return ip;
    }

    public int port() {
        return port;
    }

    /** {@code ip:port}, as pen's command line names a server. */
    public String address() {
        return ip + ":" + port;
    }

    /** The nginx process's id (one process: {@code master_process off}), for a test that kills it. */
    public long pid() {
        return process.pid();
    }

    public Path accessLog() {
        return root.resolve("access.log");
    }

    /**
     * The access log's lines so far. nginx writes a line after the response has gone out, so a client may have its
     * answer before the line is there: wait for the count expected.
     */
    public List<String> accessLines() {
        return lines("access.log");
    }

    /** The second access log's lines so far: {@code "request line" "X-Forwarded-For as nginx joined them"}. */
    public List<String> forwardedLines() {
        return lines("forwarded.log");
    }

    private List<String> lines(String file) {
        try {
            Path log = root.resolve(file);
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What nginx wrote on its output and in its error log, for failure messages. */
    public String diagnostics() {
        try {
            Path errors = root.resolve("error.log");
            return process.output() + "error.log:\n"
                    + (Files.exists(errors) ? Files.readString(errors, StandardCharsets.ISO_8859_1) : "");
        } catch (IOException e) {
            return process.output();
        }
    }

    /** Stops nginx (TERM: fast shutdown). */
    @Override
    public void close() {
        process.close();
    }
}
