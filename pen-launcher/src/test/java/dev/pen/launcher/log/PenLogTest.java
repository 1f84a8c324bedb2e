package dev.pen.launcher.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.ConnectionInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PenLogTest {
    private final Diagnostics diagnostics = new Diagnostics(() -> 0, new PrintStream(new ByteArrayOutputStream()));
    private final PenLog log = new PenLog(diagnostics);

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        log.close();
        diagnostics.close();
    }

    private static ConnectionInfo connection(String client, String server) {
        return new ConnectionInfo() {
            public long id() {
                return 1;
            }

            public SocketAddress clientAddress() {
                return new InetSocketAddress(client, 40000);
            }

            public int backendIndex() {
                return 0;
            }

            public SocketAddress backendAddress() {
                return new InetSocketAddress(server, 80);
            }

            public long bytesFromClient() {
                return 0;
            }

            public long bytesToClient() {
                return 0;
            }

            public long acceptedAtMillis() {
                return 0;
            }

            public long durationNanos() {
                return 0;
            }
        };
    }

    @Test
    void flushWritesPensLineToTheFile() throws Exception {
        Path file = dir.resolve("pen.log");
        log.setTarget(file.toString());
        log.clientData(connection("127.0.0.2", "127.0.0.3"), "GET /\u00e9 HTTP/1.1".getBytes(StandardCharsets.ISO_8859_1));
        log.flush();
        assertThat(Files.readAllLines(file)).singleElement().asString()
                .matches("127\\.0\\.0\\.2 \\d+ 127\\.0\\.0\\.3 GET /\\. HTTP/1\\.1");
    }

    @Test
    void reopenAfterRenameSendsLaterLinesToTheNewFileAndLosesNone() throws Exception {
        Path file = dir.resolve("pen.log");
        log.setTarget(file.toString());
        log.clientData(connection("127.0.0.2", "127.0.0.3"), "one".getBytes(StandardCharsets.US_ASCII));
        Files.move(file, dir.resolve("pen.log.1"));
        log.reopen();
        log.clientData(connection("127.0.0.2", "127.0.0.3"), "two".getBytes(StandardCharsets.US_ASCII));
        log.flush();
        assertThat(Files.readAllLines(dir.resolve("pen.log.1"))).singleElement().asString().endsWith(" one");
        assertThat(Files.readAllLines(file)).singleElement().asString().endsWith(" two");
    }

    @Test
    void networkLogSendsPensDatagram() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            collector.setSoTimeout(5000);
            log.setTarget("127.0.0.1:" + collector.getLocalPort());
            log.clientData(connection("127.0.0.2", "127.0.0.3"), "GET / HTTP/1.0".getBytes(StandardCharsets.US_ASCII));
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            collector.receive(p);
            assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1))
                    .isEqualTo("+ 127.0.0.2 127.0.0.3 GET / HTTP/1.0\n");
        }
    }

    @Test
    void unopenableFileIsRefusedNamingIt() {
        assertThatThrownBy(() -> log.setTarget(dir.resolve("no/such/dir/pen.log").toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pen.log");
    }

    @Test
    void nothingIsWrittenWhenLoggingIsOff() throws Exception {
        Path file = dir.resolve("pen.log");
        log.setTarget(file.toString());
        log.setTarget(null);
        log.clientData(connection("127.0.0.2", "127.0.0.3"), "x".getBytes(StandardCharsets.US_ASCII));
        log.flush();
        assertThat(Files.readAllLines(file)).isEqualTo(List.of());
    }
}
