package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/penctl against bin/pen's control port: pen's replies and exit codes, changes taking effect while traffic flows. */
class PenctlIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;
    private Programs programs;
    private NamedBackends backends;
    private int port;
    private String control;

    @BeforeEach
    void penWithTwoBackends() throws Exception {
        programs = new Programs(dir);
        backends = new NamedBackends(2);
        startPen("-X");
    }

    private void startPen(String... options) throws Exception {
        port = Programs.freePort();
        int controlPort = Programs.freePort();
        control = "127.0.0.1:" + controlPort;
        List<String> cmd = new ArrayList<>(List.of(Programs.bin("pen"), "-f", "-u", USER, "-C", control));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("127.0.0.1:" + port, "127.0.0.1:" + backends.port(0), "127.0.0.1:" + backends.port(1)));
        programs.start("pen", cmd.toArray(String[]::new));
        Programs.await("pen's listener and control port", WAIT,
                () -> Programs.listening(port) && Programs.listening(controlPort));
    }

    @AfterEach
    void cleanUp() throws IOException {
        programs.close();
        backends.close();
    }

    private String penctl(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Programs.bin("penctl"), control));
        cmd.addAll(List.of(command));
        Programs.Result r = programs.run(WAIT, cmd.toArray(String[]::new));
        assertThat(r.status()).as("penctl %s: %s", List.of(command), r.err()).isZero();
        return r.out();
    }

    @Test
    void readOnlyCommandsAnswerInPensFormat() throws Exception {
        NamedBackends.which(port);
        assertThat(penctl("mode")).isEqualTo("no hash no roundrobin no stubborn no weight no prio\n");
        assertThat(penctl("servers")).matches(
                "0 addr 127\\.0\\.0\\.1 port \\d+ conn \\d+ max 0 hard 0 weight 0 prio 0 sx \\d+ rx \\d+\n"
                        + "1 addr 127\\.0\\.0\\.1 port \\d+ conn \\d+ max 0 hard 0 weight 0 prio 0 sx \\d+ rx \\d+\n");
        assertThat(penctl("blacklist")).isEqualTo("30\n");
        assertThat(penctl("timeout")).isEqualTo("3\n");
        assertThat(penctl("tracking")).isEqualTo("0\n");
        assertThat(penctl("clients_max")).isEqualTo("2048\n");
        assertThat(penctl("conn_max")).isEqualTo("500\n");
        assertThat(penctl("listen")).isEqualTo("127.0.0.1:" + port + "\n");
        assertThat(penctl("control")).isEqualTo(control + "\n");
        assertThat(penctl("recent")).matches("127\\.0\\.0\\.1 connects \\d+ sx \\d+ rx \\d+\n");
        assertThat(penctl("idlers")).isEqualTo("Idlers: 0/0\n");
        assertThat(penctl("idle_timeout")).isEqualTo("Idle timeout: 0 seconds\n");
        assertThat(penctl("tarpit_acl")).isEqualTo("tarpit_acl = -1");
        assertThat(penctl("pid")).matches("\\d+\n");
        assertThat(penctl("status")).isEqualTo("Unable to create webstats\n");
        assertThat(penctl("close", "500")).isEqualTo("Connection 500 out of range\n");
    }

    @Test
    void multiAcceptFromTheCommandLineAndDummyFromPenctlTakeEffect() throws Exception {
        programs.close();
        programs = new Programs(dir);
        startPen("-m", "3");
        assertThat(penctl("multi_accept")).isEqualTo("3\n");
        assertThat(penctl("dummy")).isEmpty();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(
                    "HTTP/1.1 200 OK\r\nContent-Length: 15\r\nContent-Type: text/html\r\n\r\nUlric was here.");
        }
        assertThat(penctl("no dummy")).isEmpty();
        assertThat(NamedBackends.which(port)).isNotNull();
    }

    @Test
    void idlersSetByPenctlOpenAConnectionToEachServerUntilIdlersZero() throws Exception {
        assertThat(penctl("idlers", "2")).matches("Idlers: [0-2]/2\n");
        Programs.await("two idle connections", WAIT, () -> reply("idlers").equals("Idlers: 2/2\n"));
        assertThat(penctl("servers")).matches(
                "0 addr 127\\.0\\.0\\.1 port \\d+ conn 1 max 0 hard 0 weight 0 prio 0 sx \\d+ rx \\d+\n"
                        + "1 addr 127\\.0\\.0\\.1 port \\d+ conn 1 max 0 hard 0 weight 0 prio 0 sx \\d+ rx \\d+\n");
        assertThat(NamedBackends.which(port)).as("clients are still served").isNotNull();
        assertThat(penctl("idlers", "0")).matches("Idlers: [0-2]/0\n");
        Programs.await("no idle connection", WAIT, () -> reply("idlers").equals("Idlers: 0/0\n"));
    }

    /** penctl's reply, for a wait: a failure is no reply. */
    private String reply(String... command) {
        try {
            return penctl(command);
        } catch (Exception | AssertionError e) {
            return "";
        }
    }

    @Test
    void roundRobinSwitchedOnByPenctlTakesEffect() throws Exception {
        String first = NamedBackends.which(port);
        assertThat(NamedBackends.which(port)).isEqualTo(first);
        assertThat(penctl("roundrobin")).isEmpty();
        String a = NamedBackends.which(port);
        String b = NamedBackends.which(port);
        assertThat(a).isNotEqualTo(b);
        assertThat(penctl("mode")).isEqualTo("no hash roundrobin no stubborn no weight no prio\n");
    }

    @Test
    void blacklistingTheRememberedServerSendsTheClientToTheOther() throws Exception {
        String first = NamedBackends.which(port);
        int index = first.equals("backend1") ? 0 : 1;
        assertThat(penctl("server", Integer.toString(index), "blacklist", "60")).isEmpty();
        assertThat(NamedBackends.which(port)).isNotEqualTo(first);
        penctl("server", Integer.toString(index), "blacklist", "0");
    }

    @Test
    void serverLimitsSetByPenctlShowInServers() throws Exception {
        assertThat(penctl("server", "0", "max", "5", "hard", "7", "weight", "3", "prio", "2")).isEmpty();
        assertThat(penctl("servers")).startsWith("0 addr 127.0.0.1 port " + backends.port(0)
                + " conn 0 max 5 hard 7 weight 3 prio 2 ");
    }

    @Test
    void serverDrainedByPenctlTakesNoNewClientsUntilDrainZero() throws Exception {
        String first = NamedBackends.which(port);
        int index = first.equals("backend1") ? 0 : 1;
        assertThat(penctl("server", Integer.toString(index), "drain", "1")).isEmpty();
        assertThat(penctl("servers").lines().toList().get(index)).endsWith(" drain 1");
        assertThat(NamedBackends.which(port)).isNotEqualTo(first);
        assertThat(penctl("server", Integer.toString(index), "drain", "0")).isEmpty();
        assertThat(penctl("servers")).doesNotContain("drain");
    }

    @Test
    void badCommandIsAnsweredWithAnErrorWhileTrafficFlows() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("backend");
            assertThat(penctl("blacklist", "soon")).startsWith("blacklist: ").contains("'soon'").contains("expected");
            assertThat(penctl("frobnicate")).isEqualTo("do_cmd: ignoring command starting with 'frobnicate'\n");
            s.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("still here");
        }
        assertThat(penctl("blacklist")).isEqualTo("30\n");
        assertThat(NamedBackends.which(port)).startsWith("backend");
    }

    @Test
    void silentControlClientBlocksNeitherTrafficNorOtherControlClients() throws Exception {
        try (Socket silent = new Socket()) {
            silent.connect(new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(control.split(":")[1])));
            assertThat(NamedBackends.which(port)).startsWith("backend");
            assertThat(penctl("mode")).isEqualTo("no hash no roundrobin no stubborn no weight no prio\n");
        }
    }

    @Test
    void exitWithDashXStopsPen() throws Exception {
        Process pen = programs.start("pen2", Programs.bin("penctl"), control, "exit");
        Programs.await("penctl exit to end", WAIT, () -> !pen.isAlive());
        assertThat(pen.exitValue()).isZero();
        Programs.await("pen to stop listening", WAIT, () -> !Programs.listening(port));
    }

    @Test
    void penctlWithoutPortSaysSoAndFails() throws Exception {
        Programs.Result r = programs.run(WAIT, Programs.bin("penctl"), "localhost", "servers");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("no port given\n");
    }

    @Test
    void penctlToAClosedPortSaysSoAndFails() throws Exception {
        Programs.Result r = programs.run(WAIT, Programs.bin("penctl"), "127.0.0.1:" + Programs.freePort(), "servers");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error connecting to server\n");
    }

    @Test
    void penctlWithoutCommandPrintsUsage() throws Exception {
        Programs.Result r = programs.run(WAIT, Programs.bin("penctl"), control);
        assertThat(r.status()).isZero();
        assertThat(r.out()).isEqualTo("usage: penctl host:port command\n");
    }
}
