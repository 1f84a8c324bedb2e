package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may reach the control port: the control ACL on a dual-stack port, and the warning for an open one. */
class ControlAccessIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String USER = System.getProperty("user.name");

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

    /** Starts bin/pen with control port {@code control} and the -o commands given; returns its listen port. */
    private int startPen(String control, int controlPort, String... commands) throws Exception {
        int port = Programs.freePort();
        // The pid file is written after the control port opens and any warning about it is printed.
        List<String> cmd = new ArrayList<>(List.of(Programs.bin("pen"), "-f", "-X", "-u", USER, "-C", control, "-p",
                dir.resolve("pen.pid").toString()));
        for (String c : commands) {
            cmd.addAll(List.of("-o", c));
        }
        cmd.addAll(List.of("127.0.0.1:" + port, "127.0.0.1:" + backends.port(0)));
        programs.start("pen", cmd.toArray(String[]::new));
        Programs.await("pen's listener, control port and pid file", WAIT,
                () -> Programs.listening(port) && Programs.listening(controlPort)
                        && Files.exists(dir.resolve("pen.pid")));
        return port;
    }

    /** Sends one command from {@code from} to {@code to} and returns whatever comes back before the close. */
    private static String command(String from, String to, int port, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getByName(to), port), 5_000);
            try {
                s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (SocketException e) {
                // Closed before the command was read (a denied client): a reset, and nothing done.
                return "";
            }
        }
    }

    @Test
    void deniedClientsOfADualStackControlPortGetNothingDone() throws Exception {
        int controlPort = Programs.freePort();
        Path written = dir.resolve("written.cfg");
        Path log = dir.resolve("pen.log");
        // control_acl 1: 127.0.0.2 and ::1 denied; anyone else permitted (no match is the opposite of the last).
        startPen("[::]:" + controlPort, controlPort, "acl 1 deny 127.0.0.2", "acl 1 deny ::1", "control_acl 1");
        List<String> everything = List.of("hash", "roundrobin", "stubborn", "weight", "prio", "no http",
                "blacklist 99", "timeout 9", "tracking 9", "clients_max 9999", "conn_max 9999", "client_acl 5",
                "control_acl 0", "no acl 1", "acl 1 permit 127.0.0.2", "server 0 address 127.0.0.9 port 9",
                "server 0 blacklist 60", "server 0 drain 1", "server 1 address 127.0.0.1 port 9",
                "write " + written, "log " + log, "web_stats " + dir.resolve("stats.html"), "status",
                "listen " + Programs.freePort(), "debug 5", "close 1", "exit");
        for (String from : List.of("127.0.0.2", "::1")) {
            for (String line : everything) {
                assertThat(command(from, from, controlPort, line)).as(line + " from " + from).isEmpty();
            }
        }
        String permitted = "127.0.0.1";
        assertThat(command(permitted, permitted, controlPort, "mode"))
                .isEqualTo("no hash no roundrobin no stubborn no weight no prio\n");
        assertThat(command(permitted, permitted, controlPort, "servers"))
                .startsWith("0 addr 127.0.0.1 port " + backends.port(0) + " conn ").doesNotContain("drain")
                .doesNotContain("\n1 addr");
        assertThat(command(permitted, permitted, controlPort, "control_acl")).isEqualTo("1\n");
        assertThat(command(permitted, permitted, controlPort, "blacklist")).isEqualTo("30\n");
        assertThat(written).doesNotExist();
        assertThat(log).doesNotExist();
        programs.awaitErrors("pen", "do_ctrl: not from there", WAIT);
        assertThat(programs.errors("pen")).doesNotContain("warning");
    }

    @Test
    void aControlPortOpenToEveryAddressIsWarnedAboutOnce() throws Exception {
        int controlPort = Programs.freePort();
        startPen(Integer.toString(controlPort), controlPort);
        assertThat(errors()).isEqualTo("pen: warning: control port " + controlPort + " accepts commands from any "
                + "address (control_acl 0 is empty); restrict it with control_acl, or -C 127.0.0.1:PORT\n");
    }

    private String errors() {
        try {
            return programs.errors("pen");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLoopbackControlPortIsNotWarnedAbout() throws Exception {
        int controlPort = Programs.freePort();
        startPen("127.0.0.1:" + controlPort, controlPort);
        assertThat(command("127.0.0.1", "127.0.0.1", controlPort, "pid")).matches("\\d+\n");
        assertThat(errors()).isEmpty();
    }
}
