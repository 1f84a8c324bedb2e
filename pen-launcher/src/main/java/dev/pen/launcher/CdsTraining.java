package dev.pen.launcher;

import dev.pen.launcher.control.Penctl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A short run of pen on loopback that goes through start-up, one relayed connection, the log, the status page and
 * a few control commands, then exits: the JVM records the classes it loaded into a class-data sharing archive that
 * makes later starts of {@code bin/pen} and {@code bin/penctl} faster (see {@code bin/_common.sh}).
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("pen-cds");
        try (ServerSocket backend = new ServerSocket()) {
            backend.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread echo = new Thread(() -> echo(backend), "cds-backend");
            echo.setDaemon(true);
            echo.start();
            int listen = freePort();
            int control = freePort();
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            Launcher pen = new Launcher(List.of("-f", "-X", "-u", System.getProperty("user.name"),
                    "-C", "127.0.0.1:" + control, "-l", dir.resolve("pen.log").toString(),
                    "-w", dir.resolve("pen.html").toString(), "-o", "blacklist 30",
                    "127.0.0.1:" + listen, "127.0.0.1:" + backend.getLocalPort()), quiet, quiet, null);
            Thread main = new Thread(pen::run, "cds-pen");
            main.start();
            relayOnce(listen);
            for (String command : new String[] {"servers", "mode", "recent", "status", "exit"}) {
                Penctl.run(new String[] {"127.0.0.1:" + control, command}, quiet, quiet);
            }
            main.join(10_000);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        System.exit(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void relayOnce(int port) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
                s.shutdownOutput();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                s.getInputStream().transferTo(got);
                return;
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
    }

    private static void echo(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                in.transferTo(s.getOutputStream());
            } catch (IOException e) {
                return;
            }
        }
    }
}
