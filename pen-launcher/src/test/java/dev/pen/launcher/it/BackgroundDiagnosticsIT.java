package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What pen in the background says goes to its debug file (on a machine without syslog), and the JVM's too. */
class BackgroundDiagnosticsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Programs programs;
    private NamedBackends backends;

    @BeforeEach
    void setUp() throws Exception {
        // With syslog, the lines go there (through logger) and not to a file this test could read.
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/log")), "the machine has syslog (/dev/log)");
        programs = new Programs(dir);
        backends = new NamedBackends(1);
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (programs != null) {
            programs.close();
            backends.close();
        }
    }

    @Test
    void debugFileIsPrivateTakesTheLibrariesLinesIsReopenedOnHupAndTheJvmIsSetToExitWhenOutOfMemory() throws Exception {
        Path debug = dir.resolve("debug.log");
        Path pid = dir.resolve("pen.pid");
        programs.daemon(pid);
        int port = Programs.freePort();
        ProcessBuilder start = new ProcessBuilder(Programs.bin("pen"), "-d", "-d", "-p", pid.toString(),
                "127.0.0.1:" + port, "127.0.0.1:" + backends.port(0), "127.0.0.1:" + Programs.freePort())
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("start.out").toFile()).redirectError(dir.resolve("start.err").toFile());
        start.environment().put("PEN_DEBUG_FILE", debug.toString());
        Process p = start.start();
        assertThat(p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("start.err"))).isZero();
        long jvm = Programs.readPid(pid);

        List<String> jvmArgs = Arrays.asList(Files.readString(Path.of("/proc/" + jvm + "/cmdline"),
                StandardCharsets.ISO_8859_1).split("\0"));
        assertThat(jvmArgs).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(jvmArgs).anySatisfy(a -> assertThat(a).startsWith("-XX:OnOutOfMemoryError=")
                .contains(debug.toString()));

        assertThat(greeting(port)).isEqualTo("backend1");
        Programs.await("a connection's diagnostic in the debug file", WAIT,
                () -> read(debug).contains(": accepted connection "));
        // The balancer's own debug line (slf4j's, printed on stderr) for server 1, where nothing listens.
        Programs.await("the balancer's line on stderr in the debug file", WAIT,
                () -> read(debug).contains("DEBUG RelayConnection - connection 1: server 1 failed"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(debug))).isEqualTo("rw-------");

        Path rotated = dir.resolve("debug.log.1");
        Files.move(debug, rotated);
        new ProcessBuilder("kill", "-HUP", Long.toString(jvm)).start().waitFor();
        Programs.await("the debug file made again after HUP", WAIT, () -> Files.exists(debug));
        assertThat(greeting(port)).isEqualTo("backend1");
        Programs.await("later lines in the new debug file", WAIT,
                () -> read(debug).contains(": accepted connection "));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String greeting(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) WAIT.toMillis());
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                b.append((char) c);
            }
            return b.toString();
        }
    }
}
