package dev.pen.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Address;
import dev.pen.api.BackendState;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.launcher.cli.OptionParser;
import dev.pen.launcher.cli.Options;
import dev.pen.launcher.control.Interpreter;
import dev.pen.launcher.control.Settings;
import dev.pen.launcher.log.Diagnostics;
import dev.pen.launcher.log.PenLog;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start sequence and the control host around a real balancer on loopback, without bin/pen. */
class BalancerHostTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private final Closer closer = new Closer();
    private final List<String> fileReplies = new ArrayList<>();
    private final java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
    private Diagnostics diagnostics;
    private PenLog penLog;
    private NamedBackend one;
    private NamedBackend two;
    private BalancerHost host;
    private BalancerConfig config;

    @TempDir
    Path dir;

    @BeforeEach
    void twoBackends() {
        one = closer.keep(new NamedBackend("one"));
        two = closer.keep(new NamedBackend("two"));
    }

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    /** Runs the start sequence for pen's command line {@code args}, up to the one config, starting nothing. */
    private void configure(String... args) throws Exception {
        Options o = OptionParser.parse(List.of(args));
        Settings settings = StartSequence.settings(o);
        diagnostics = closer.keep(new Diagnostics(settings::debug, new PrintStream(shown, true)));
        penLog = closer.keep(new PenLog(diagnostics));
        host = new BalancerHost(StartSequence.initial(o, QUIET), settings, diagnostics, penLog,
                new Events(diagnostics), () -> { }, fileReplies::add);
        config = StartSequence.configure(o, host, settings, QUIET, List.of(), List.of());
    }

    private Balancer start() {
        return closer.keep(host.start(config, false));
    }

    private Interpreter pen() {
        return host.interpreter();
    }

    private Path file(String text) throws Exception {
        Path f = Files.createTempFile(dir, "pen", ".cfg");
        Files.writeString(f, text, StandardCharsets.ISO_8859_1);
        return f;
    }

    @Test
    void startSequenceBuildsOneConfigFromCommandsTheFileAndPositionalServers() throws Exception {
        Path f = file("listen 127.0.0.1:0\nserver 0 acl 2 address 127.0.0.9 port 9\n"
                + "server 1 address 127.0.0.1 port " + two.port() + "\nhash\n");
        configure("-o", "blacklist 9", "-F", f.toString(), "-e", "127.0.0.1:" + one.port(), "127.0.0.1:1",
                "127.0.0.1:" + one.port());
        assertThat(config.listen()).isEqualTo(Address.of("127.0.0.1", 0));
        assertThat(config.backend(0).orElseThrow().address()).isEqualTo(Address.of("127.0.0.1", one.port()));
        assertThat(config.backend(0).orElseThrow().acl()).isEqualTo(2);
        assertThat(config.backend(1).orElseThrow().address()).isEqualTo(Address.of("127.0.0.1", two.port()));
        assertThat(config.modes().hash()).isTrue();
        assertThat(config.limits().blacklistTime().toSeconds()).isEqualTo(9);
        assertThat(config.emergency().address().port()).isEqualTo(one.port());
        assertThat(host.running()).isNull();
    }

    @Test
    void strategyMaglevFromTheCommandLineChoosesEveryConnectionByTheTable() throws Exception {
        configure("--strategy", "maglev", "--maglev-table-size", "251", "127.0.0.1:0", one.spec(), two.spec());
        assertThat(config.strategy()).isEqualTo(dev.pen.api.Strategy.maglev(251));
        Balancer b = start();
        assertThat(pen().execute("strategy")).isEqualTo("maglev 251\n");
        int port = Clients.port(b.localAddress());
        String first = Clients.greeting("127.0.0.2", port);
        int index = first.equals("one") ? 0 : 1;
        assertThat(pen().execute("server " + index + " drain 1")).isEmpty();
        String other = Clients.greeting("127.0.0.2", port);
        assertThat(other).isNotEqualTo(first);
        assertThat(pen().execute("server " + index + " drain 0")).isEmpty();
        // With pen's strategy the client table would keep it on the other server.
        assertThat(Clients.greeting("127.0.0.2", port)).isEqualTo(first);
        assertThat(pen().execute("strategy pen")).isEqualTo("pen\n");
        assertThat(Clients.greeting("127.0.0.2", port)).as("tracked again").isEqualTo(first);
    }

    @Test
    void drainFromTheConfigFileTakesEffectAsTheBalancerStarts() throws Exception {
        configure("-F", file("server 1 drain 1\n").toString(), "127.0.0.1:0", one.spec(), two.spec());
        Balancer b = start();
        assertThat(b.backend(1).orElseThrow().state()).isEqualTo(BackendState.DRAINING);
        assertThat(b.backend(0).orElseThrow().state()).isEqualTo(BackendState.UP);
    }

    @Test
    void serverDrainOneDrainsTheRunningServerAndDrainZeroEndsIt() throws Exception {
        configure("-r", "127.0.0.1:0", one.spec(), two.spec());
        Balancer b = start();
        assertThat(pen().execute("server 0 drain 1")).isEmpty();
        assertThat(b.backend(0).orElseThrow().state()).isEqualTo(BackendState.DRAINING);
        assertThat(pen().execute("servers").lines().toList()).satisfiesExactly(
                line -> assertThat(line).endsWith(" sx 0 rx 0 drain 1"),
                line -> assertThat(line).endsWith(" sx 0 rx 0"));
        int port = Clients.port(b.localAddress());
        for (int i = 0; i < 3; i++) {
            assertThat(Clients.greeting("127.0.0.1", port)).isEqualTo("two");
        }
        assertThat(pen().execute("server 0 drain 0")).isEmpty();
        assertThat(b.backend(0).orElseThrow().state()).isEqualTo(BackendState.UP);
        assertThat(pen().execute("servers")).doesNotContain("drain");
    }

    @Test
    void serverDrainOfAnEmptySlotOfTheRunningBalancerIsAnError() throws Exception {
        configure("127.0.0.1:0", one.spec());
        start();
        assertThat(pen().execute("server 7 drain 1")).isEqualTo("server: no server 7\n");
        assertThat(pen().execute("server 7 blacklist 5")).isEqualTo("server: no server 7\n");
    }

    @Test
    void listenOnAPortInUseRepliesOneErrorLineAndTheOldListenerKeepsServing() throws Exception {
        configure("127.0.0.1:0", one.spec());
        Balancer b = start();
        BalancerConfig before = b.config();
        int port = Clients.port(b.localAddress());
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String reply = pen().execute("listen 127.0.0.1:" + busy.getLocalPort());
            assertThat(reply).startsWith("listen: ").contains(Integer.toString(busy.getLocalPort())).hasLineCount(1);
        }
        assertThat(b.config()).isEqualTo(before);
        assertThat(Clients.greeting("127.0.0.1", port)).isEqualTo("one");
    }

    @Test
    void listenMovesTheListenerWhileOpenConnectionsCarryOn() throws Exception {
        configure("127.0.0.1:0", one.spec());
        Balancer b = start();
        try (Socket open = Clients.connect("127.0.0.1", Clients.port(b.localAddress()))) {
            assertThat(Clients.readLine(open)).isEqualTo("one");
            int next = Clients.closedPort();
            assertThat(pen().execute("listen 127.0.0.1:" + next)).isEqualTo("127.0.0.1:" + next + "\n");
            assertThat(Clients.greeting("127.0.0.1", next)).isEqualTo("one");
            open.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(Clients.readLine(open)).isEqualTo("still here");
        }
        assertThat(pen().execute("listen")).isEqualTo("127.0.0.1:" + Clients.port(b.localAddress()) + "\n");
    }

    @Test
    void hupReadingTheFileAgainWithTheSameListenKeepsTheListenerAndItsConnections() throws Exception {
        int port = Clients.closedPort();
        Path f = file("listen 127.0.0.1:" + port + "\nserver 0 address 127.0.0.1 port " + one.port() + "\n");
        configure("-F", f.toString());
        Balancer b = start();
        try (Socket open = Clients.connect("127.0.0.1", port)) {
            assertThat(Clients.readLine(open)).isEqualTo("one");
            host.reload();
            assertThat(fileReplies).containsOnly("127.0.0.1:" + port + "\n");
            open.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(Clients.readLine(open)).isEqualTo("still here");
        }
        assertThat(Clients.greeting("127.0.0.1", port)).isEqualTo("one");
        assertThat(b.config().listen()).isEqualTo(Address.of("127.0.0.1", port));
    }

    @Test
    void aFailingCheckIsLoggedOncePerStateChangeNotOncePerCheck() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        PrintStream err = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Options o = OptionParser.parse(List.of("-f", "--check", "tcp", "--inter", "100ms", "--fall", "2", "--rise",
                "1", "127.0.0.1:0", one.spec(), two.spec()));
        Settings settings = StartSequence.settings(o);
        Diagnostics diagnostics = closer.keep(new Diagnostics(settings::debug, err));
        PenLog penLog = closer.keep(new PenLog(diagnostics));
        Events events = new Events(diagnostics);
        host = new BalancerHost(StartSequence.initial(o, QUIET), settings, diagnostics, penLog, events, () -> { },
                fileReplies::add);
        config = StartSequence.configure(o, host, settings, QUIET, List.of(events), List.of(events));
        Balancer lb = start();

        two.stopListening();
        dev.pen.netty.testing.Await.until("server 1 down",
                () -> lb.backend(1).orElseThrow().state() == BackendState.DOWN);
        long downAt = System.currentTimeMillis();
        dev.pen.netty.testing.Await.until("five more failed checks",
                () -> lb.backend(1).orElseThrow().lastCheck().atMillis() > downAt + 500);
        two.listenAgain();
        dev.pen.netty.testing.Await.until("server 1 up",
                () -> lb.backend(1).orElseThrow().state() == BackendState.UP);
        // Listeners hear a change on an event loop of their own, after the state has changed.
        dev.pen.netty.testing.Await.until("the up line written", () -> {
            diagnostics.flush();
            return captured.toString(StandardCharsets.UTF_8).contains("server 1 up");
        });

        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("server 1 ")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d: server 1 down: check failed: "
                + "connect failed: .*");
        assertThat(lines.get(1)).endsWith(": server 1 up: check passed: connected");
    }

    @Test
    void hupThatCannotReopenTheLogStillRunsTheConfigFileAndSaysWhatFailedAndWhy() throws Exception {
        Path log = dir.resolve("pen.log");
        Path f = file("blacklist 9\n");
        configure("-l", log.toString(), "-F", f.toString(), "127.0.0.1:0", one.spec());
        Balancer b = start();
        penLog.setTarget(log.toString());
        Files.writeString(f, "blacklist 17\n");
        // Rotated away, and what stands at the log's name now cannot be opened as a file.
        Files.move(log, dir.resolve("pen.log.1"));
        Files.createDirectory(log);
        host.reload();
        assertThat(b.config().limits().blacklistTime().toSeconds()).isEqualTo(17);
        diagnostics.flush();
        assertThat(shown.toString(StandardCharsets.UTF_8))
                .containsPattern("HUP: log not reopened: can't open log '.*pen\\.log': .*Is a directory");
    }

    @Test
    void hupWithAConfigFileGoneSaysSoAndStillReopensTheLog() throws Exception {
        Path log = dir.resolve("pen.log");
        Path f = file("blacklist 9\n");
        configure("-l", log.toString(), "-F", f.toString(), "127.0.0.1:0", one.spec());
        start();
        penLog.setTarget(log.toString());
        Files.delete(f);
        Files.move(log, dir.resolve("pen.log.1"));
        host.reload();
        assertThat(log).exists();
        diagnostics.flush();
        assertThat(shown.toString(StandardCharsets.UTF_8))
                .contains("HUP: can't read config file '" + f + "': No such file or directory");
    }
}
