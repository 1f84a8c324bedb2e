package dev.pen.logtools.penlogd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** penlogd fed by penlog over loopback UDP, in this JVM. */
class PenlogdTest {

    /** The merged log as penlogd writes it; a test waits on it for lines to arrive. */
    static final class Output extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String awaitLines(int lines, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (text().lines().count() < lines) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return text();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }

    final Output output = new Output();
    final ByteArrayOutputStream debug = new ByteArrayOutputStream();
    Penlogd penlogd;
    Thread server;
    int port;

    void start(int entries) throws IOException {
        start(entries, null);
    }

    /** Starts penlogd in this JVM, writing to {@code logFile} or, when null, to {@link #output}. */
    void start(int entries, java.nio.file.Path logFile) throws IOException {
        Penlogd.Settings settings = new Penlogd.Settings(0, true, true, logFile, entries, null,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        penlogd = Penlogd.open(settings, output, new PrintStream(debug, true, StandardCharsets.ISO_8859_1));
        port = penlogd.localAddress().getPort();
        server = new Thread(() -> {
            try {
                penlogd.serve();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, "penlogd-test");
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (penlogd != null) {
            penlogd.close();
            server.join(5000);
        }
    }

    /** Sends {@code lines} with penlog from {@code source}. */
    void penlog(String source, String lines) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Penlog.run(new String[] {"127.0.0.1", Integer.toString(port), source},
            new ByteArrayInputStream(lines.getBytes(StandardCharsets.ISO_8859_1)),
            new PrintStream(err, true, StandardCharsets.ISO_8859_1));
        assertThat(status).as(err.toString()).isZero();
    }

    static String web(String request) {
        return "127.0.0.1 - - [08/Jan/2024:23:28:52 +0000] \"" + request + "\" 200 5\n";
    }

    @Test
    void webLineGetsTheClientOfPensEntryForThatServerAndRequest() throws Exception {
        start(1000);
        penlog("127.0.0.1", "+ 10.5.5.5 127.0.0.3 GET /x HTTP/1.1\n");
        penlog("127.0.0.3", web("GET /x HTTP/1.1"));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5)))
            .isEqualTo("10.5.5.5 - - [08/Jan/2024:23:28:52 +0000] \"GET /x HTTP/1.1\" 200 5\n");
    }

    @Test
    void newestMatchingEntryWinsAndEntriesAreNotUsedUp() throws Exception {
        start(1000);
        penlog("127.0.0.1", "+ 10.5.5.5 127.0.0.3 GET /x HTTP/1.1\n+ 10.6.6.6 127.0.0.3 GET /x HTTP/1.1\n");
        penlog("127.0.0.3", web("GET /x HTTP/1.1") + web("GET /x HTTP/1.1"));

        assertThat(output.awaitLines(2, Duration.ofSeconds(5)).lines())
            .allSatisfy(line -> assertThat(line).startsWith("10.6.6.6 - - ["));
    }

    @Test
    void requestPenDidNotSeePassesUnchanged() throws Exception {
        start(1000);
        penlog("127.0.0.1", "+ 10.5.5.5 127.0.0.3 GET /x HTTP/1.1\n");
        penlog("127.0.0.3", web("GET /other HTTP/1.1"));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5))).isEqualTo(web("GET /other HTTP/1.1"));
    }

    @Test
    void lineFromAnotherWebServerPassesUnchanged() throws Exception {
        start(1000);
        penlog("127.0.0.1", "+ 10.5.5.5 127.0.0.3 GET /x HTTP/1.1\n");
        penlog("127.0.0.4", web("GET /x HTTP/1.1"));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5))).isEqualTo(web("GET /x HTTP/1.1"));
    }

    @Test
    void lineWithoutQuotesIsDroppedAndReported() throws Exception {
        start(1000);
        penlog("127.0.0.3", "no quotes at all\n" + web("GET /after HTTP/1.1"));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5))).isEqualTo(web("GET /after HTTP/1.1"));
        assertThat(debug.toString()).contains(": bogus web line no quotes at all");
    }

    @Test
    void bogusPenEntryIsDiscardedAndReported() throws Exception {
        start(1000);
        penlog("127.0.0.1", "+ 10.5.5.5 not-an-address GET /x HTTP/1.1\n+ onlyone\n");
        penlog("127.0.0.3", web("GET /x HTTP/1.1"));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5))).isEqualTo(web("GET /x HTTP/1.1"));
        assertThat(debug.toString()).contains("discarding bogus pen line + 10.5.5.5 not-an-address")
            .contains("discarding bogus pen line + onlyone");
    }

    @Test
    void aWebLineWithoutASpaceBeforeItsRequestIsDroppedNotFatal() throws Exception {
        start(1000);
        penlog("127.0.0.1", "+ 1.1.1.1 127.0.0.3 GET\n");
        penlog("127.0.0.3", "x\"GET\"\n" + web("GET /after HTTP/1.1"));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5))).isEqualTo(web("GET /after HTTP/1.1"));
        assertThat(penlogd.discarded()).isEqualTo(1);
        assertThat(server.isAlive()).isTrue();
    }

    @Test
    void aDatagramOfSeveralLinesCannotForgeLogLines() throws Exception {
        start(1000);
        send("127.0.0.3", web("GET /a HTTP/1.1") + "6.6.6.6 - - [forged] \"GET /forged HTTP/1.1\" 200 5\n");
        send("127.0.0.1", "+ 10.5.5.5\n9.9.9.9 127.0.0.3 GET /b HTTP/1.1\n");
        penlog("127.0.0.3", web("GET /after HTTP/1.1"));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5))).isEqualTo(web("GET /after HTTP/1.1"));
        assertThat(penlogd.discarded()).isEqualTo(2);
    }

    @Test
    void aPenEntryWhoseClientIsNotAnAddressIsDiscarded() throws Exception {
        start(1000);
        penlog("127.0.0.1", "+ evil\u0007name 127.0.0.3 GET /x HTTP/1.1\n");
        penlog("127.0.0.3", web("GET /x HTTP/1.1"));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5))).isEqualTo(web("GET /x HTTP/1.1"));
        assertThat(penlogd.discarded()).isEqualTo(1);
    }

    @Test
    void aLogThatCannotBeReopenedKeepsTheOldOneInUse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path log = dir.resolve("penlogd.log");
        start(1000, log);
        java.nio.file.Path rotated = dir.resolve("penlogd.log.1");
        java.nio.file.Files.move(log, rotated);
        java.nio.file.Files.createDirectory(log); // what the reopen would open is not a file
        penlogd.reopen();
        penlog("127.0.0.3", web("GET /after HTTP/1.1"));
        dev.pen.netty.testing.Await.until("the line in the old file",
            () -> readable(rotated).contains("GET /after"));
        penlogd.flush();
        assertThat(server.isAlive()).isTrue();
        assertThat(debug.toString()).contains("Can't open " + log);
    }

    private static String readable(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** One datagram, exactly as given, from {@code source}. */
    void send(String source, String datagram) throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, InetAddress.getByName(source))) {
            byte[] bytes = datagram.getBytes(StandardCharsets.ISO_8859_1);
            s.send(new java.net.DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), port));
        }
    }

    @Test
    void onlyTheLastNPenEntriesAreKept() throws Exception {
        start(2);
        penlog("127.0.0.1", "+ 10.5.5.5 127.0.0.3 GET /first HTTP/1.1\n+ 10.6.6.6 127.0.0.3 GET /b HTTP/1.1\n"
            + "+ 10.7.7.7 127.0.0.3 GET /c HTTP/1.1\n");
        penlog("127.0.0.3", web("GET /first HTTP/1.1") + web("GET /c HTTP/1.1"));

        assertThat(output.awaitLines(2, Duration.ofSeconds(5)).lines())
            .extracting(l -> l.substring(0, l.indexOf(' ')))
            .containsExactly("127.0.0.1", "10.7.7.7");
    }

    @Test
    void longRequestsMatchOnTheirFirst99Characters() throws Exception {
        start(1000);
        String request = "GET /" + "x".repeat(200) + " HTTP/1.1";
        penlog("127.0.0.1", "+ 10.5.5.5 127.0.0.3 " + request + "\n");
        penlog("127.0.0.3", web(request));

        assertThat(output.awaitLines(1, Duration.ofSeconds(5))).startsWith("10.5.5.5 - - [");
    }

    @Test
    void penlogWithTooFewArgumentsPrintsItsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Penlog.run(new String[] {"127.0.0.1"}, new ByteArrayInputStream(new byte[0]),
            new PrintStream(err, true, StandardCharsets.ISO_8859_1));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("Usage: penlog server_ip server_port [my_ip]\n");
    }

    @Test
    void penlogdWithoutPortPrintsItsUsageOnStdout() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = Penlogd.run(new String[0], new PrintStream(out, true, StandardCharsets.ISO_8859_1),
            new PrintStream(new ByteArrayOutputStream(), true));

        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo(Penlogd.USAGE).startsWith("Usage:\n  penlogd [options] port\n");
    }

    @Test
    void penlogdRefusesChrootWithOneLineSayingWhatToUse() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Penlogd.run(new String[] {"-f", "-j", "/var/empty", "10000"},
            new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true, StandardCharsets.ISO_8859_1));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("penlogd: -j /var/empty: the JVM cannot chroot; run penlogd under"
            + " chroot(8) or in a container instead\n");
    }

    @Test
    void penlogdBadPortIsOneLineNamingIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Penlogd.run(new String[] {"-f", "0"}, new PrintStream(new ByteArrayOutputStream(), true),
            new PrintStream(err, true, StandardCharsets.ISO_8859_1));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("penlogd: bad port '0' (expected [address:]port, port 1..65535)\n");
    }

}
