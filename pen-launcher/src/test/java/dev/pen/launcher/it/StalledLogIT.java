package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log whose output stands still never holds up the relay or the stop. */
class StalledLogIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Linux's default pipe capacity: this many bytes written, and the next write blocks. */
    private static final int PIPE_CAPACITY = 65_536;

    @TempDir
    Path dir;
    private Programs programs;
    private NamedBackends backends;

    @BeforeEach
    void setUp() throws Exception {
        programs = new Programs(dir);
        backends = new NamedBackends(1);
    }

    @AfterEach
    void cleanUp() throws IOException {
        programs.close();
        backends.close();
    }

    @Test
    void termStopsPenPromptlyWhileItsLogFileIsAFullPipeAndCountsTheLinesNotWritten() throws Exception {
        Programs.require("mkfifo");
        Path fifo = dir.resolve("pen.log");
        assertThat(programs.run(WAIT, "mkfifo", fifo.toString()).status()).isZero();
        // The test holds the only reader, fills the pipe and never reads: every write of pen's blocks.
        try (RandomAccessFile reader = new RandomAccessFile(fifo.toFile(), "rw")) {
            reader.write(new byte[PIPE_CAPACITY]);
            int port = Programs.freePort();
            Path pid = dir.resolve("pen.pid");
            Process pen = programs.start("pen", Programs.bin("pen"), "-f", "-l", fifo.toString(), "-p",
                    pid.toString(), "127.0.0.1:" + port, "127.0.0.1:" + backends.port(0));
            Programs.await("pen serving", WAIT, () -> Files.exists(pid) && Programs.listening(port));
            for (int i = 0; i < 20; i++) {
                assertThat(echo(port, "GET /" + i + " HTTP/1.0")).isEqualTo("GET /" + i + " HTTP/1.0");
            }
            long start = System.nanoTime();
            pen.destroy();
            assertThat(pen.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(pen.exitValue()).isZero();
            assertThat(tookMillis).as("TERM to exit, ms").isLessThan(1_500);
            assertThat(programs.errors("pen")).containsPattern("log .*pen\\.log: [1-9]\\d* lines not written");
            assertThat(pid).doesNotExist();
        }
    }

    /** Sends {@code line} through pen and reads the backend's echo of it (after its greeting). */
    private static String echo(int port, String line) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            readLine(in);
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            b.append((char) c);
        }
        return b.toString();
    }
}
