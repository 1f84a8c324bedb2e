package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -d -d -d dumps every read either way as Debian's pen does, in hex and with -a in ASCII. */
class TrafficDumpIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Printable bytes, every kind of white space, control bytes, DEL and bytes above 0x7f. */
    private static final byte[] REQUEST = "GET /x\u0001\u007f\u00e9\u0080 HTTP/1.0\r\nHost: y\tz\u000b\u000c\u0000\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);

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
    void hexDumpsMatchPens() throws Exception {
        Programs.require("pen");
        assertThat(dumps(Programs.bin("pen"), "ours", false)).isEqualTo(dumps("pen", "debian", false))
                .hasSize(3);
    }

    @Test
    void asciiDumpsMatchPens() throws Exception {
        Programs.require("pen");
        assertThat(dumps(Programs.bin("pen"), "ours-a", true)).isEqualTo(dumps("pen", "debian-a", true))
                .hasSize(3);
    }

    /**
     * Runs {@code pen -f -d -d -d [-a]}, has one client read the backend's greeting, send {@link #REQUEST} and read
     * its echo, stops pen and returns the dumps it printed (pen's dumps of a 0-byte read at the end left out).
     */
    private List<String> dumps(String pen, String name, boolean ascii) throws Exception {
        int port = Programs.freePort();
        List<String> command = new ArrayList<>(List.of(pen, "-f", "-d", "-d", "-d"));
        if (ascii) {
            command.add("-a");
        }
        command.addAll(List.of("127.0.0.1:" + port, "127.0.0.1:" + backends.port(0)));
        Process p = programs.start(name, command.toArray(String[]::new));
        // Not a probe connection, which would be dumped too: the kernel's table of listening sockets.
        Programs.await(name + " listening", WAIT, () -> listening(port) || !p.isAlive());
        int before = parse(errors(name), ascii).size();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) WAIT.toMillis());
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            assertThat(new String(in.readNBytes("backend1\n".length()), StandardCharsets.US_ASCII))
                    .isEqualTo("backend1\n");
            out.write(REQUEST);
            out.flush();
            assertThat(in.readNBytes(REQUEST.length)).isEqualTo(REQUEST);
        }
        Programs.await(name + " dumps of the three reads", WAIT,
                () -> parse(errors(name), ascii).size() >= before + 3);
        p.destroy();
        assertThat(p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        List<String> all = parse(errors(name), ascii);
        return all.subList(before, all.size());
    }

    /** True when a socket listens on TCP {@code port} (/proc/net/tcp and tcp6: local port in hex, state 0A). */
    private static boolean listening(int port) {
        String local = String.format(":%04X", port);
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[1].endsWith(local) && f[3].equals("0A")) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // No such table here.
            }
        }
        return false;
    }

    private String errors(String name) {
        try {
            return Files.readString(dir.resolve(name + ".err"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The dumps in {@code text}: a line starting with a count N and ": ", then N characters (ASCII) or N times
     * "xx " (hex), then a newline. Dumps of 0 bytes are left out; other lines skipped.
     */
    static List<String> parse(String text, boolean ascii) {
        List<String> dumps = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int colon = text.indexOf(": ", i);
            int eol = text.indexOf('\n', i);
            if (eol < 0) {
                break;
            }
            String head = colon >= 0 && colon < eol ? text.substring(i, colon) : "";
            if (!head.isEmpty() && head.chars().allMatch(Character::isDigit) && head.length() < 7) {
                int n = Integer.parseInt(head);
                int end = colon + 2 + n * (ascii ? 1 : 3);
                if (end < text.length() && text.charAt(end) == '\n') {
                    if (n > 0) {
                        dumps.add(text.substring(i, end));
                    }
                    i = end + 1;
                    continue;
                }
            }
            i = eol + 1;
        }
        return dumps;
    }
}
