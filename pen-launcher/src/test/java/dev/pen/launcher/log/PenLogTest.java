package dev.pen.launcher.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
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
    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();
    private final Diagnostics diagnostics = new Diagnostics(() -> 0, new PrintStream(shown, true));
    private final PenLog log = new PenLog(diagnostics);
    private final ConnectionLog fileLog = log.listeners().get(0);
    private final ConnectionLog network = log.listeners().get(1);

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
        fileLog.clientData(connection("127.0.0.2", "127.0.0.3"), "GET /\u00e9 HTTP/1.1".getBytes(StandardCharsets.ISO_8859_1));
        log.flush();
        assertThat(Files.readAllLines(file)).singleElement().asString()
                .matches("127\\.0\\.0\\.2 \\d+ 127\\.0\\.0\\.3 GET /\\. HTTP/1\\.1");
    }

    @Test
    void reopenAfterRenameSendsLaterLinesToTheNewFileAndLosesNone() throws Exception {
        Path file = dir.resolve("pen.log");
        log.setTarget(file.toString());
        fileLog.clientData(connection("127.0.0.2", "127.0.0.3"), "one".getBytes(StandardCharsets.US_ASCII));
        Files.move(file, dir.resolve("pen.log.1"));
        log.reopen();
        fileLog.clientData(connection("127.0.0.2", "127.0.0.3"), "two".getBytes(StandardCharsets.US_ASCII));
        log.flush();
        assertThat(Files.readAllLines(dir.resolve("pen.log.1"))).singleElement().asString().endsWith(" one");
        assertThat(Files.readAllLines(file)).singleElement().asString().endsWith(" two");
    }

    @Test
    void closeReturnsPromptlyAndCountsTheLinesNotWrittenWhenTheLogsOutputStandsStill() throws Exception {
        Path fifo = StalledOutputs.fifo(dir.resolve("pen.log"));
        // The test holds the only reader and never reads: once the pipe is full, every write blocks.
        try (RandomAccessFile reader = new RandomAccessFile(fifo.toFile(), "rw")) {
            log.setTarget(fifo.toString());
            byte[] text = "a".repeat(100).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 20_000; i++) {
                fileLog.clientData(connection("127.0.0.2", "127.0.0.3"), text);
            }
            long start = System.nanoTime();
            log.close();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis).isLessThan(PenLog.CLOSE_WAIT_MILLIS + 500);
            diagnostics.flush();
            assertThat(shown.toString(StandardCharsets.UTF_8))
                    .containsPattern("log .*pen\\.log: \\d+ lines not written \\(its output stood still");
        }
    }

    @Test
    void networkLogSendsPensDatagram() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            collector.setSoTimeout(5000);
            log.setTarget("127.0.0.1:" + collector.getLocalPort());
            network.clientData(connection("127.0.0.2", "127.0.0.3"), "GET / HTTP/1.0".getBytes(StandardCharsets.US_ASCII));
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
        fileLog.clientData(connection("127.0.0.2", "127.0.0.3"), "x".getBytes(StandardCharsets.US_ASCII));
        log.flush();
        assertThat(Files.readAllLines(file)).isEqualTo(List.of());
    }

    @Test
    void listenersWantClientDataOnlyWhileTheirOutputIsOpen() throws Exception {
        assertThat(fileLog.wantsClientData()).isFalse();
        assertThat(network.wantsClientData()).isFalse();
        log.setTarget(dir.resolve("pen.log").toString());
        assertThat(fileLog.wantsClientData()).isTrue();
        assertThat(network.wantsClientData()).isFalse();
        log.setTarget("127.0.0.1:9");
        assertThat(fileLog.wantsClientData()).isFalse();
        assertThat(network.wantsClientData()).isTrue();
        log.setTarget(null);
        assertThat(fileLog.wantsClientData()).isFalse();
        assertThat(network.wantsClientData()).isFalse();
    }

    @Test
    void atStartListenersAnswerWhetherALogMayEverBeOpened() {
        assertThat(log.starting(true, () -> fileLog.wantsClientData() && network.wantsClientData())).isTrue();
        assertThat(log.starting(false, () -> fileLog.wantsClientData() || network.wantsClientData())).isFalse();
    }

    @Test
    void fileTakesPensHundredBytesAndNetworkPensKilobyte() {
        assertThat(fileLog.clientDataLimit()).isEqualTo(100);
        assertThat(network.clientDataLimit()).isEqualTo(1024);
    }

    @Test
    void networkDatagramIsCutToFitPensBufferWithItsNewline() {
        byte[] text = new byte[2000];
        java.util.Arrays.fill(text, (byte) 'a');
        java.nio.ByteBuffer d = LogOutputs.datagram("127.0.0.2", "127.0.0.3", text);
        assertThat(d.remaining()).isEqualTo(1024);
        assertThat(d.get(d.limit() - 1)).isEqualTo((byte) '\n');
    }
}
