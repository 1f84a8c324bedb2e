package dev.pen.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.BalancerConfig;
import dev.pen.api.FastClose;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpreterTest {
    private final FakeHost host = new FakeHost();
    private final Settings settings = new Settings();
    private final List<String> fileReplies = new ArrayList<>();
    private Interpreter pen;

    @TempDir
    Path dir;

    @BeforeEach
    void twoServers() {
        pen = new Interpreter(host, settings, fileReplies::add);
        host.config = host.config.toBuilder().backend(0, Backend.parse("127.0.0.1:18081", 80))
                .backend(1, Backend.parse("127.0.0.1:18082", 80)).build();
        settings.setListen("18080");
        settings.setControl("127.0.0.1:18100");
    }

    @Test
    void modeRepliesWithEveryFlagOff() {
        assertThat(pen.execute("mode")).isEqualTo("no hash no roundrobin no stubborn no weight no prio\n");
    }

    @Test
    void modeSwitchesShowInMode() {
        pen.execute("hash");
        pen.execute("roundrobin");
        pen.execute("prio");
        pen.execute("no roundrobin");
        assertThat(pen.execute("mode")).isEqualTo("hash no roundrobin no stubborn no weight prio\n");
    }

    @Test
    void serversListsEachServerInPensFormat() {
        assertThat(pen.execute("servers")).isEqualTo(
                "0 addr 127.0.0.1 port 18081 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n"
                        + "1 addr 127.0.0.1 port 18082 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n");
    }

    @Test
    void getterRepliesArePensDefaults() {
        assertThat(pen.execute("blacklist")).isEqualTo("30\n");
        assertThat(pen.execute("timeout")).isEqualTo("3\n");
        assertThat(pen.execute("tracking")).isEqualTo("0\n");
        assertThat(pen.execute("clients_max")).isEqualTo("2048\n");
        assertThat(pen.execute("conn_max")).isEqualTo("500\n");
        assertThat(pen.execute("debug")).isEqualTo("0\n");
        assertThat(pen.execute("client_acl")).isEqualTo("0\n");
        assertThat(pen.execute("control_acl")).isEqualTo("0\n");
        assertThat(pen.execute("listen")).isEqualTo("18080\n");
        assertThat(pen.execute("control")).isEqualTo("127.0.0.1:18100\n");
        assertThat(pen.execute("log")).isEmpty();
        assertThat(pen.execute("web_stats")).isEmpty();
        assertThat(pen.execute("pid")).isEqualTo("4242\n");
        assertThat(pen.execute("idlers")).isEqualTo("Idlers: 0/0\n");
        assertThat(pen.execute("idle_timeout")).isEqualTo("Idle timeout: 0 seconds\n");
        assertThat(pen.execute("tarpit_acl")).isEqualTo("tarpit_acl = -1");
        assertThat(pen.execute("socket 5")).isEqualTo("Socket 5 belongs to connection -1\n");
    }

    @Test
    void httpAndNoHttpSwitchTheBalancersHttpModeAndWriteShowsIt() throws IOException {
        pen.execute("http");
        assertThat(host.config.http()).isTrue();
        Path file = dir.resolve("on.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).contains("http").doesNotContain("no http");
        pen.execute("no http");
        assertThat(host.config.http()).isFalse();
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).contains("no http").doesNotContain("http");
    }

    @Test
    void idleTimeoutInUdpModeIsTheSessionTimeout() {
        host.config = host.config.toBuilder().udp(true).build();
        assertThat(pen.execute("idle_timeout")).isEqualTo("Idle timeout: 60 seconds\n");
        assertThat(pen.execute("idle_timeout 5")).isEqualTo("Idle timeout: 5 seconds\n");
        assertThat(host.config.udpIdleTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(pen.execute("idle_timeout -1")).contains("-1").contains("expected");
        assertThat(host.config.udpIdleTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void changedUdpSessionTimeoutIsWrittenSoThatItReadsBack() throws IOException {
        host.config = host.config.toBuilder().udp(true).build();
        pen.execute("idle_timeout 7");
        Path file = dir.resolve("udp.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).contains("idle_timeout 7");
        host.config = host.config.toBuilder().udpIdleTimeout(java.time.Duration.ofSeconds(60)).build();
        pen.executeFile(file);
        assertThat(host.config.udpIdleTimeout()).isEqualTo(java.time.Duration.ofSeconds(7));
    }

    @Test
    void idleTimeoutInTcpModeIsTheConnectionsIdleTimeoutAndLeavesTheUdpOneAlone() {
        assertThat(pen.execute("idle_timeout 9")).isEqualTo("Idle timeout: 9 seconds\n");
        assertThat(host.config.idleTimeout()).isEqualTo(java.time.Duration.ofSeconds(9));
        assertThat(host.config.udpIdleTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
    }

    @Test
    void timeoutsAtTheirDefaultsAreNotWrittenSoTheFileIsPens() throws IOException {
        Path file = dir.resolve("pen.cfg");
        pen.execute("write " + file);
        assertThat(String.join("\n", Files.readAllLines(file))).doesNotContain("idle_timeout", "first_byte_timeout", "handshake_timeout");
    }

    @Test
    void changedTimeoutsAreWrittenSoThatTheyReadBack() throws IOException {
        assertThat(pen.execute("idle_timeout 30")).isEqualTo("Idle timeout: 30 seconds\n");
        assertThat(pen.execute("first_byte_timeout 1500ms")).isEqualTo("1500ms\n");
        assertThat(pen.execute("handshake_timeout 4s")).isEqualTo("4\n");
        Path file = dir.resolve("timeouts.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).contains("idle_timeout 30", "first_byte_timeout 1500ms",
                "handshake_timeout 4");
        BalancerConfig written = host.config;
        host.config = host.config.toBuilder().idleTimeout(java.time.Duration.ZERO)
                .firstByteTimeout(BalancerConfig.DEFAULT_FIRST_BYTE_TIMEOUT)
                .handshakeTimeout(BalancerConfig.DEFAULT_HANDSHAKE_TIMEOUT).build();
        pen.executeFile(file);
        assertThat(host.config).isEqualTo(written);
    }

    @Test
    void badDurationGetsOneLineNamingItAndChangesNothing() {
        assertThat(pen.execute("first_byte_timeout soon")).isEqualTo(
                "first_byte_timeout: unexpected value 'soon' (expected seconds, or a number with ms or s)\n");
        assertThat(pen.execute("handshake_timeout 0")).contains("handshake_timeout").contains("expected");
        assertThat(pen.execute("first_byte_timeout")).isEqualTo("60\n");
        assertThat(pen.execute("handshake_timeout")).isEqualTo("10\n");
    }

    @Test
    void setterRepliesWithTheNewValue() {
        assertThat(pen.execute("blacklist 7")).isEqualTo("7\n");
        assertThat(pen.execute("timeout 9")).isEqualTo("9\n");
        assertThat(host.config.limits().connectTimeout().toSeconds()).isEqualTo(9);
    }

    @Test
    void badArgumentGetsAnErrorLineAndChangesNothing() {
        String reply = pen.execute("blacklist soon");
        assertThat(reply).startsWith("blacklist: ").contains("'soon'").contains("expected").endsWith("\n");
        assertThat(pen.execute("blacklist")).isEqualTo("30\n");
    }

    @Test
    void clientTableOnlyGrows() {
        assertThat(pen.execute("clients_max 100")).isEqualTo("2048\n");
        assertThat(pen.execute("clients_max 4000")).isEqualTo("4000\n");
    }

    @Test
    void unknownCommandIsIgnoredWithPensReply() {
        assertThat(pen.execute("foo bar")).isEqualTo("do_cmd: ignoring command starting with 'foo'\n");
    }

    @Test
    void commandWordsAreCaseSensitive() {
        assertThat(pen.execute("MODE")).isEqualTo("do_cmd: ignoring command starting with 'MODE'\n");
    }

    @Test
    void onlyTheFirstLineIsRun() {
        assertThat(pen.execute("servers\r\nmode\n")).startsWith("0 addr").doesNotContain("roundrobin");
    }

    @Test
    void commentsAndEmptyLinesGetNoReply() {
        assertThat(pen.execute("# hash")).isEmpty();
        assertThat(pen.execute("   ")).isEmpty();
        assertThat(host.config.modes().hash()).isFalse();
    }

    @Test
    void exitWithoutPermissionSaysHowToEnableIt() {
        assertThat(pen.execute("exit")).isEqualTo("Exit is not enabled; restart with -X flag\n");
        assertThat(host.exits).isZero();
    }

    @Test
    void exitWithPermissionStopsSilently() {
        settings.setCommandLine(new Settings.CommandLine(false, true, null, null, null));
        assertThat(pen.execute("exit")).isEmpty();
        assertThat(host.exits).isEqualTo(1);
    }

    @Test
    void serverCommandChangesLimitsAndKeepsTheAddress() {
        pen.execute("server 0 max 5 hard 7 weight 3 prio 2");
        Backend b = host.config.backend(0).orElseThrow();
        assertThat(b.maxConnections()).isEqualTo(5);
        assertThat(b.hardMaxConnections()).isEqualTo(7);
        assertThat(b.weight()).hasValue(3);
        assertThat(b.priority()).isEqualTo(2);
        assertThat(b.address().port()).isEqualTo(18081);
    }

    @Test
    void serverCommandBeyondTheTableAddsAServerWithGapsShownAsPenDoes() {
        pen.execute("server 3 address 127.0.0.1 port 18083");
        assertThat(pen.execute("servers")).contains(
                "2 addr (unknown address family 0 port 0 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n",
                "3 addr 127.0.0.1 port 18083 conn 0");
    }

    @Test
    void serverBlacklistBlacklistsAndZeroLiftsIt() {
        pen.execute("server 1 blacklist 60");
        assertThat(host.live.backend(1).orElseThrow().state()).isEqualTo(BackendState.BLACKLISTED);
        pen.execute("server 1 blacklist 0");
        assertThat(host.live.backend(1).orElseThrow().state()).isEqualTo(BackendState.UP);
    }

    @Test
    void serverCommandWithUnknownKeywordIsAnErrorAndChangesNothing() {
        String reply = pen.execute("server 0 max 5 colour blue");
        assertThat(reply).contains("colour").contains("expected");
        assertThat(host.config.backend(0).orElseThrow().maxConnections()).isZero();
    }

    @Test
    void serverCommandForAMissingServerWithoutAddressIsAnError() {
        assertThat(pen.execute("server 99 max 1")).contains("no server 99");
        assertThat(host.config.backendSlots()).isEqualTo(2);
    }

    @Test
    void aclEntriesAppendAndDecideInOrder() throws Exception {
        pen.execute("acl 1 deny 127.0.0.2");
        pen.execute("acl 1 permit 127.0.0.0 255.0.0.0");
        assertThat(host.config.accessLists().get(1).permits(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(host.config.accessLists().get(1).permits(InetAddress.getByName("127.0.0.3"))).isTrue();
        pen.execute("no acl 1");
        assertThat(host.config.accessLists().get(1).entries()).isEmpty();
    }

    @Test
    void noAclWithoutNumberIsAnErrorWherePenCrashes() {
        assertThat(pen.execute("no acl")).contains("missing argument");
    }

    @Test
    void sourceWithoutAddressIsAnErrorWherePenCrashes() {
        assertThat(pen.execute("source")).contains("missing argument");
    }

    @Test
    void aclWithBogusAddressIsAnError() {
        assertThat(pen.execute("acl 1 permit 300.1.1.1")).startsWith("acl: bogus address '300.1.1.1'");
    }

    @Test
    void clientAclOutOfRangeIsAnError() {
        assertThat(pen.execute("client_acl 12")).contains("expected an acl number 0..9");
        assertThat(pen.execute("client_acl")).isEqualTo("0\n");
    }

    @Test
    void tcpFastcloseWithoutArgumentGivesPensReply() {
        assertThat(pen.execute("tcp_fastclose")).isEqualTo("do_cmd: ignoring tcp_fastclose without argument\n");
    }

    @Test
    void socketTunablesChangeTheConfigurationWithoutAReply() {
        for (String command : List.of("tcp_nodelay", "keepalive", "transparent", "dummy", "tcp_fastclose up",
                "pending_max 7", "source 127.0.0.2")) {
            assertThat(pen.execute(command)).as(command).isEmpty();
        }
        BalancerConfig c = host.config;
        assertThat(c.tcpNoDelay()).isTrue();
        assertThat(c.keepAlive()).isTrue();
        assertThat(c.transparent()).isTrue();
        assertThat(c.dummy()).isTrue();
        assertThat(c.fastClose()).isEqualTo(FastClose.UP);
        assertThat(c.maxPendingConnects()).isEqualTo(7);
        assertThat(c.sourceAddress().getHostAddress()).isEqualTo("127.0.0.2");
        for (String command : List.of("no tcp_nodelay", "no keepalive", "no transparent", "no dummy",
                "tcp_fastclose off", "no source")) {
            assertThat(pen.execute(command)).as(command).isEmpty();
        }
        c = host.config;
        assertThat(c.tcpNoDelay() || c.keepAlive() || c.transparent() || c.dummy()).isFalse();
        assertThat(c.fastClose()).isEqualTo(FastClose.OFF);
        assertThat(c.sourceAddress()).isNull();
    }

    @Test
    void pendingMaxOfZeroOrLessIsOneAsInPenAndWithoutArgumentChangesNothing() {
        pen.execute("pending_max 0");
        assertThat(host.config.maxPendingConnects()).isEqualTo(1);
        pen.execute("pending_max -5");
        assertThat(host.config.maxPendingConnects()).isEqualTo(1);
        assertThat(pen.execute("pending_max")).isEmpty();
        assertThat(host.config.maxPendingConnects()).isEqualTo(1);
        assertThat(pen.execute("pending_max 2000000"))
                .isEqualTo("pending_max: unexpected value 2000000 (expected a number, at most 1048576)\n");
        assertThat(pen.execute("pending_max many"))
                .isEqualTo("pending_max: unexpected value 'many' (expected a number, at most 1048576)\n");
    }

    @Test
    void multiAcceptRepliesItsValueAfterSettingIt() {
        assertThat(pen.execute("multi_accept")).isEqualTo("100\n");
        assertThat(pen.execute("multi_accept 8")).isEqualTo("8\n");
        assertThat(host.config.acceptBatch()).isEqualTo(8);
        assertThat(pen.execute("multi_accept 0")).startsWith("multi_accept: unexpected value 0");
        assertThat(host.config.acceptBatch()).isEqualTo(8);
    }

    @Test
    void sourceThatCannotBeUsedGetsPensReplyAndKeepsTheOldOne() {
        pen.execute("source 127.0.0.2");
        // Not an address, an unknown host, an address this host does not have.
        for (String bad : List.of("nosuchhost.invalid", "/tmp/socket", "192.0.2.1")) {
            assertThat(pen.execute("source " + bad)).isEqualTo("unable to set source address to '" + bad + "'");
        }
        assertThat(host.config.sourceAddress().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(pen.execute("source")).isEqualTo("source: missing argument (expected an IP address)\n");
    }

    @Test
    void tarpitAclIsNotSupportedButItsQueryKeepsPensReply() {
        assertThat(pen.execute("tarpit_acl 3"))
                .isEqualTo("tarpit_acl: direct server return is not supported by this balancer; ignored\n");
        assertThat(pen.execute("tarpit_acl")).isEqualTo("tarpit_acl = -1");
    }

    @Test
    void socketTunablesAreWrittenAndReadBackToTheSameConfiguration() throws IOException {
        for (String command : List.of("tcp_nodelay", "keepalive", "transparent", "dummy", "tcp_fastclose both",
                "pending_max 7", "source 127.0.0.2", "multi_accept 9")) {
            pen.execute(command);
        }
        Path file = dir.resolve("socket.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).contains("tcp_nodelay", "keepalive", "transparent", "dummy",
                "tcp_fastclose both", "pending_max 7", "source 127.0.0.2", "multi_accept 9");
        FakeHost again = new FakeHost();
        Settings s = new Settings();
        new Interpreter(again, s, fileReplies::add).executeFile(file);
        assertThat(again.config.toBuilder().listen("0").build())
                .isEqualTo(host.config.toBuilder().listen("0").build());
    }

    @Test
    void idlersSetsTheIdleConnectionsAndRepliesOpenOverWanted() {
        assertThat(pen.execute("idlers 3")).isEqualTo("Idlers: 0/3\n");
        assertThat(host.config.idleConnections()).isEqualTo(3);
        assertThat(pen.execute("idlers")).isEqualTo("Idlers: 0/3\n");
        assertThat(pen.execute("idlers 0")).isEqualTo("Idlers: 0/0\n");
        assertThat(host.config.idleConnections()).isZero();
    }

    @Test
    void idlersOutOfRangeIsAnErrorAndChangesNothing() {
        pen.execute("idlers 2");
        for (String bad : List.of("-1", "1025", "many")) {
            assertThat(pen.execute("idlers " + bad)).as(bad).startsWith("idlers: unexpected value ")
                    .endsWith(" (expected a number from 0 to 1024)\n");
        }
        assertThat(host.config.idleConnections()).isEqualTo(2);
    }

    @Test
    void idlersAreWrittenWhenNotZeroAndReadBack() throws IOException {
        Path file = dir.resolve("idlers.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).noneMatch(line -> line.startsWith("idlers"));
        pen.execute("idlers 5");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).contains("idlers 5");
        FakeHost again = new FakeHost();
        List<String> replies = new ArrayList<>();
        new Interpreter(again, new Settings(), replies::add).executeFile(file);
        assertThat(again.config.idleConnections()).isEqualTo(5);
        assertThat(replies).contains("Idlers: 0/5\n");
    }

    @Test
    void closeOutOfRangeGivesPensReply() {
        assertThat(pen.execute("close 500")).isEqualTo("Connection 500 out of range\n");
    }

    @Test
    void statusWithoutWebStatsGivesPensReply() {
        assertThat(pen.execute("status")).isEqualTo("Unable to create webstats\n");
        assertThat(host.diagnostics).contains("Don't know where to write web stats; see -w option");
    }

    @Test
    void listenWithAddressMovesTheListenerAndEchoesIt() {
        assertThat(pen.execute("listen 127.0.0.1:pop3")).isEqualTo("127.0.0.1:pop3\n");
        assertThat(host.config.listen()).isEqualTo(Address.of("127.0.0.1", 110));
        assertThat(pen.execute("listen")).isEqualTo("127.0.0.1:pop3\n");
    }

    @Test
    void listenWithBadAddressIsAnErrorAndKeepsTheOld() {
        assertThat(pen.execute("listen 99999")).startsWith("listen: ").contains("99999");
        assertThat(pen.execute("listen")).isEqualTo("18080\n");
    }

    @Test
    void networkLogShowsOnlyItsHostAsPenDoes() {
        assertThat(pen.execute("log 127.0.0.1:5555")).isEqualTo("127.0.0.1\n");
        assertThat(host.logs).containsExactly("127.0.0.1:5555");
    }

    @Test
    void writtenConfigReadsBackToTheSameState() throws IOException {
        pen.execute("hash");
        pen.execute("blacklist 12");
        pen.execute("acl 2 deny 10.0.0.0 255.0.0.0");
        pen.execute("acl 3 permit ::1/64");
        pen.execute("server 0 max 4 hard 6 weight 2 prio 3");
        pen.execute("server 1 weight 0");
        pen.execute("web_stats /tmp/x.html");
        Path file = dir.resolve("written.cfg");
        assertThat(pen.execute("write " + file)).isEmpty();

        FakeHost other = new FakeHost();
        Interpreter fresh = new Interpreter(other, new Settings(), r -> { });
        fresh.executeFile(file);
        assertThat(other.config.modes()).isEqualTo(host.config.modes());
        assertThat(other.config.limits()).isEqualTo(host.config.limits());
        assertThat(other.config.accessLists().get(2)).isEqualTo(host.config.accessLists().get(2));
        assertThat(other.config.accessLists().get(3)).isEqualTo(host.config.accessLists().get(3));
        assertThat(other.config.backend(0).orElseThrow())
                .isEqualTo(host.config.backend(0).orElseThrow());
        assertThat(other.config.backend(1).orElseThrow())
                .isEqualTo(host.config.backend(1).orElseThrow());
        assertThat(fresh.execute("web_stats")).isEqualTo("/tmp/x.html\n");
    }

    @Test
    void writeUsesPensLayout() throws IOException {
        settings.setCommandLine(new Settings.CommandLine(true, true, null, null, null));
        Path file = dir.resolve("pen.cfg");
        pen.execute("write " + file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).matches("# Generated by pen \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(lines.get(1)).isEqualTo("# pen -f -X -F '" + file + "' -C 127.0.0.1:18100 18080");
        assertThat(lines.subList(2, lines.size())).startsWith("no acl 0", "no acl 1").contains(
                "server 0 acl 0 address 127.0.0.1 port 18081 max 0 hard 0", "no weight", "no prio");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("no prio");
    }

    @Test
    void writeWithoutFileIsAnError() {
        assertThat(pen.execute("write")).contains("no file");
    }

    @Test
    void configFileRepliesGoToTheFileReplySink() throws IOException {
        Path file = dir.resolve("c.cfg");
        Files.writeString(file, "# comment\n\nblacklist 7\nfrobnicate\nhash\n");
        pen.executeFile(file);
        assertThat(fileReplies).containsExactly("7\n", "do_cmd: ignoring command starting with 'frobnicate'\n");
        assertThat(host.config.modes().hash()).isTrue();
    }

    @Test
    void includeRunsTheNamedFile() throws IOException {
        Path inner = dir.resolve("inner.cfg");
        Files.writeString(inner, "stubborn\n");
        assertThat(pen.execute("include " + inner)).isEmpty();
        assertThat(host.config.modes().stubborn()).isTrue();
    }

    @Test
    void includeThatIncludesItselfStopsWithAnError() throws IOException {
        Path loop = dir.resolve("loop.cfg");
        Files.writeString(loop, "include " + loop + "\n");
        pen.execute("include " + loop);
        assertThat(fileReplies).anySatisfy(reply -> assertThat(reply).contains("nested"));
    }

    @Test
    void includeOfMissingFileIsAnError() {
        assertThat(pen.execute("include " + dir.resolve("none.cfg"))).contains("can't read").contains("no such file");
    }

    @Test
    void countryAclIsAnsweredAsNotSupported() {
        assertThat(pen.execute("acl 3 permit country SE")).contains("not supported");
        assertThat(host.config.accessLists().get(3).entries()).isEmpty();
    }

    @Test
    void commandsBeforeStartUpActOnThePlainConfig() {
        pen.execute("hash");
        pen.execute("blacklist 12");
        pen.execute("server 2 address 127.0.0.1 port 18083 max 4");
        assertThat(host.config.modes().hash()).isTrue();
        assertThat(host.config.limits().blacklistTime().toSeconds()).isEqualTo(12);
        assertThat(host.config.backend(2)).hasValue(Backend.parse("127.0.0.1:18083:4", 80));
        assertThat(host.updates).hasSize(3);
    }

    @Test
    void readOnlyCommandsApplyNoUpdate() {
        pen.execute("servers");
        pen.execute("mode");
        pen.execute("blacklist");
        pen.execute("hash");
        pen.execute("hash");
        assertThat(host.updates).hasSize(1);
    }

    @Test
    void serverDrainOneShowsDrainAfterPensFieldsAndDrainZeroRemovesIt() {
        assertThat(pen.execute("server 1 drain 1")).isEmpty();
        assertThat(pen.execute("servers")).isEqualTo(
                "0 addr 127.0.0.1 port 18081 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n"
                        + "1 addr 127.0.0.1 port 18082 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0 drain 1\n");
        assertThat(pen.execute("server 1 drain 0")).isEmpty();
        assertThat(pen.execute("servers")).doesNotContain("drain");
    }

    @Test
    void serverDrainTogetherWithAChangeDrainsTheChangedServer() {
        pen.execute("server 0 max 3 drain 1");
        assertThat(pen.execute("servers")).startsWith(
                "0 addr 127.0.0.1 port 18081 conn 0 max 3 hard 0 weight 0 prio 0 sx 0 rx 0 drain 1\n");
    }

    @Test
    void serverDrainWithAValueOtherThanOneOrZeroIsAnErrorAndChangesNothing() {
        assertThat(pen.execute("server 1 drain yes")).isEqualTo(
                "server drain: unexpected value 'yes' (expected 1 to drain, 0 to end draining)\n");
        assertThat(host.live.backend(1).orElseThrow().state()).isEqualTo(BackendState.UP);
    }

    @Test
    void serverDrainBeforeStartUpOfASlotNotFilledYetIsKept() {
        assertThat(pen.execute("server 2 drain 1")).isEmpty();
        pen.execute("server 2 address 127.0.0.1 port 18083");
        assertThat(pen.execute("servers")).endsWith(" sx 0 rx 0 drain 1\n");
    }

    @Test
    void refusedUpdateGetsOneErrorLineAndLeavesTheConfigAsItWas() {
        var before = host.config;
        host.refusal = "can't bind local address 127.0.0.1:18090: Address already in use";
        assertThat(pen.execute("listen 127.0.0.1:18090"))
                .isEqualTo("listen: can't bind local address 127.0.0.1:18090: Address already in use\n");
        assertThat(pen.execute("hash")).startsWith("hash: ").hasLineCount(1);
        assertThat(host.config).isSameAs(before);
        assertThat(pen.execute("listen")).isEqualTo("18080\n");
    }

    @Test
    void listenToTheSameAddressAgainAppliesNoUpdate() {
        pen.execute("listen 127.0.0.1:18080");
        int updates = host.updates.size();
        assertThat(pen.execute("listen 127.0.0.1:18080")).isEqualTo("127.0.0.1:18080\n");
        assertThat(host.updates).hasSize(updates);
    }

    @Test
    void writeOfDefaultsIsPensFileAndNothingMore() throws IOException {
        host.config = host.config.toBuilder().udp(true).build();
        Path file = dir.resolve("defaults.cfg");
        pen.execute("write " + file);
        List<String> lines = Files.readAllLines(file);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("no acl " + i);
        }
        expected.addAll(List.of("no ascii", "blacklist 30", "client_acl 0", "control_acl 0", "debug 0", "no hash",
                "no http", "no log", "no roundrobin", "server 0 acl 0 address 127.0.0.1 port 18081 max 0 hard 0",
                "server 1 acl 0 address 127.0.0.1 port 18082 max 0 hard 0", "no stubborn", "tcp_fastclose off",
                // The one line that differs from pen's file: TCP_NODELAY is on by default (docs/launcher.md).
                "tcp_nodelay", "timeout 3", "tracking 0", "no web_stats", "no weight", "no prio"));
        assertThat(lines.get(1)).isEqualTo("# pen -U -F '" + file + "' -C 127.0.0.1:18100 18080");
        assertThat(lines.subList(2, lines.size())).containsExactlyElementsOf(expected);
    }

    @Test
    void writeNamesNonDefaultLimitsAndServersOnThePenLine() throws IOException {
        pen.execute("clients_max 4096");
        pen.execute("conn_max 600");
        Path file = dir.resolve("limits.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file).get(1)).isEqualTo("# pen -c 4096 -x 600 -F '" + file
                + "' -C 127.0.0.1:18100 18080");
    }

    @Test
    void everyBadCommandGetsOneLine() {
        for (String bad : List.of("blacklist soon", "server x", "server 0 colour blue", "acl 12 deny 1.2.3.4",
                "no acl x", "listen 99999", "client_acl 12", "tcp_fastclose sideways", "server 0 drain",
                "pending_max lots", "multi_accept 0", "source")) {
            assertThat(pen.execute(bad)).as(bad).hasLineCount(1).endsWith("\n");
        }
    }

    @Test
    void noForAnUnknownWordIsIgnoredSilently() {
        assertThat(pen.execute("no frobnicate")).isEmpty();
        assertThat(pen.execute("no")).isEmpty();
    }

    @Test
    void everyCommandButANegativeFormHasAHelpLine() {
        assertThat(pen.commands()).filteredOn(c -> !c.name().startsWith("no "))
                .allSatisfy(c -> assertThat(c.help()).as(c.name()).isNotBlank());
    }
}
