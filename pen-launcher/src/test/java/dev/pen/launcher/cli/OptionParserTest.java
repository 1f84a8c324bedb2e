package dev.pen.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.HealthCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import dev.pen.launcher.admin.AdminAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionParserTest {

    private static Options parse(String... args) throws CommandLineException {
        return OptionParser.parse(List.of(args));
    }

    @Test
    void defaultsAreThoseOfPen() throws Exception {
        Options o = parse("8080", "h1:80");
        assertThat(o.timeoutSeconds).isEqualTo(3);
        assertThat(o.blacklistSeconds).isEqualTo(30);
        assertThat(o.clients).isEqualTo(2048);
        assertThat(o.connections).isEqualTo(500);
        assertThat(o.listenQueue).isEqualTo(500);
        assertThat(o.foreground).isFalse();
    }

    @Test
    void clusteredFlagsAreEachSet() throws Exception {
        Options o = parse("-ahfrsd", "8080", "h1");
        assertThat(o.ascii).isTrue();
        assertThat(o.hash).isTrue();
        assertThat(o.foreground).isTrue();
        assertThat(o.roundRobin).isTrue();
        assertThat(o.stubborn).isTrue();
        assertThat(o.debug).isEqualTo(1);
    }

    @Test
    void repeatedDebugRaisesTheLevel() throws Exception {
        assertThat(parse("-d", "-dd", "-fd", "8080").debug).isEqualTo(4);
    }

    @Test
    void argumentMayBeAttachedOrSeparate() throws Exception {
        Options o = parse("-b10", "-t", "7", "8080");
        assertThat(o.blacklistSeconds).isEqualTo(10);
        assertThat(o.timeoutSeconds).isEqualTo(7);
    }

    @Test
    void clusterEndsWithAnOptionThatTakesTheRestAsItsArgument() throws Exception {
        Options o = parse("-fl/tmp/pen.log", "8080");
        assertThat(o.foreground).isTrue();
        assertThat(o.log).isEqualTo("/tmp/pen.log");
    }

    @Test
    void optionsAfterPositionalArgumentsAreStillOptions() throws Exception {
        Options o = parse("8080", "h1:80", "-f", "h2:80", "-r");
        assertThat(o.positional).containsExactly("8080", "h1:80", "h2:80");
        assertThat(o.foreground).isTrue();
        assertThat(o.roundRobin).isTrue();
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        Options o = parse("-f", "--", "8080", "-r");
        assertThat(o.positional).containsExactly("8080", "-r");
        assertThat(o.roundRobin).isFalse();
    }

    @Test
    void controlCommandsKeepTheirOrderWhicheverLetter() throws Exception {
        Options o = parse("-o", "hash", "-O", "blacklist 5", "-o", "prio", "8080");
        assertThat(o.commands).containsExactly("hash", "blacklist 5", "prio");
    }

    @Test
    void unknownOptionIsRefusedWithGetoptsMessageAndUsage() {
        assertThatThrownBy(() -> parse("-Y", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("pen: invalid option -- 'Y'");
                    assertThat(e.showUsage()).isTrue();
                    assertThat(e.status()).isNotZero();
                });
    }

    @Test
    void missingArgumentIsRefusedWithGetoptsMessage() {
        assertThatThrownBy(() -> parse("8080", "-b"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("pen: option requires an argument -- 'b'");
                    assertThat(e.status()).isNotZero();
                });
    }

    @Test
    void nonNumericValueIsRefusedNamingOptionAndValue() {
        assertThatThrownBy(() -> parse("-b", "soon", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).contains("-b").contains("soon").contains("expected");
                    assertThat(e.status()).isEqualTo(1);
                });
    }

    @Test
    void timeoutOptionsTakeSecondsOrANumberWithMsOrS() throws Exception {
        Options o = parse("--first-byte-timeout", "30", "--handshake-timeout=750ms", "8080");
        assertThat(o.firstByteTimeout).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(o.handshakeTimeout).isEqualTo(java.time.Duration.ofMillis(750));
        assertThat(parse("--first-byte-timeout=5s", "8080").firstByteTimeout).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(Usage.text()).contains("--first-byte-timeout T").contains("--handshake-timeout T");
    }

    @Test
    void badTimeoutIsRefusedNamingOptionValueAndForm() {
        assertThatThrownBy(() -> parse("--first-byte-timeout=5m", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("pen: --first-byte-timeout: unexpected value '5m' "
                            + "(expected seconds, or a number with ms or s)");
                    assertThat(e.status()).isEqualTo(1);
                });
    }

    @Test
    void healthCheckOptionsSetTheChecksOfEveryServer() throws Exception {
        Options o = parse("--check", "http:/health", "--inter=200ms", "--fastinter", "50ms", "--rise", "3",
                "--fall=4", "--slowstart", "30s", "--check-timeout", "1", "8080");
        assertThat(o.healthCheck).isEqualTo(HealthCheck.http("/health")
                .withInter(Duration.ofMillis(200)).withFastInter(Duration.ofMillis(50))
                .withRise(3).withFall(4).withSlowStart(Duration.ofSeconds(30))
                .withTimeout(Duration.ofSeconds(1)));
        assertThat(parse("8080").healthCheck).isEqualTo(HealthCheck.NONE);
        assertThat(parse("--check=tcp", "8080").healthCheck.resolve().kind())
                .isEqualTo(HealthCheck.Kind.TCP);
    }

    @Test
    void badHealthCheckSettingIsRefusedInOneLineNamingOptionValueAndForm() {
        Map<List<String>, String> bad = new LinkedHashMap<>();
        bad.put(List.of("--check", "ping"), "pen: --check: unexpected value 'ping' (expected tcp, http:PATH or off)");
        bad.put(List.of("--check=http:"), "pen: --check: unexpected value 'http:' (expected http:/PATH, the path in "
                + "visible ASCII without spaces)");
        bad.put(List.of("--inter", "0"), "pen: --inter: unexpected inter: 0 ms (expected 10 ms to 24 h)");
        bad.put(List.of("--inter=2m"), "pen: --inter: unexpected value '2m' (expected seconds, or a number with ms "
                + "or s)");
        bad.put(List.of("--fastinter=5ms"), "pen: --fastinter: unexpected fastinter: 5 ms (expected 10 ms to 24 h)");
        bad.put(List.of("--rise=0"), "pen: --rise: unexpected value '0' (expected a number 1..1000)");
        bad.put(List.of("--fall=many"), "pen: --fall: unexpected value 'many' (expected a number 1..1000)");
        bad.put(List.of("--slowstart=100000"), "pen: --slowstart: unexpected slowstart: 100000000 ms (expected "
                + "10 ms to 24 h)");
        bad.put(List.of("--check-timeout=0"), "pen: --check-timeout: unexpected check timeout: 0 ms (expected "
                + "10 ms to 24 h)");
        bad.forEach((args, message) -> {
            List<String> line = new ArrayList<>(args);
            line.add("8080");
            assertThatThrownBy(() -> OptionParser.parse(line)).as(args.toString())
                    .isInstanceOfSatisfying(CommandLineException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo(message).doesNotContain("\n");
                        assertThat(e.status()).isEqualTo(1);
                    });
        });
    }

    @Test
    void connectTimeoutBelowOneIsRefused() {
        assertThatThrownBy(() -> parse("-t", "0", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> assertThat(e.getMessage()).contains("-t"));
    }

    @Test
    void obsoleteOptionsGivePensNoticeAndCarryOn() throws Exception {
        Options o = parse("-D", "-Q", "-S", "10", "-n", "8080");
        assertThat(o.notices).containsExactly(
                "Pen 0.26.0 removed the delayed forward feature,\nmaking the -D option obsolete",
                "Since Pen 0.26.0, kqueue is already the default on supported systems,\nmaking the -Q option obsolete",
                "As of 0.28.1 the server table is expanded dynamically,\nmaking the -S option obsolete",
                "Pen 0.26.0 and up uses only nonblocking sockets,\nmaking the -n option obsolete");
        assertThat(o.listen()).isEqualTo("8080");
    }

    @Test
    void smallBacklogAndMultiAcceptAreBumpedWithPensNotice() throws Exception {
        Options o = parse("-q", "10", "-m", "0", "8080");
        assertThat(o.listenQueue).isEqualTo(50);
        assertThat(o.multiAccept).isEqualTo(1);
        assertThat(o.notices).containsExactly("listen_queue bumped to 50", "multi_accept bumped to 1");
    }

    @Test
    void multiAcceptHasAnUpperBound() {
        assertThatThrownBy(() -> parse("-m", "2000000", "8080")).isInstanceOf(CommandLineException.class)
                .hasMessage("pen: -m: unexpected value 2000000 (expected at most 1048576)");
    }

    @Test
    void clientAndConnectionTablesOnlyGrow() throws Exception {
        Options o = parse("-c", "100", "-x", "1000", "8080");
        assertThat(o.clients).isEqualTo(2048);
        assertThat(o.connections).isEqualTo(1000);
    }

    @Test
    void windowsServiceOptionSaysSoAndEndsSuccessfully() {
        assertThatThrownBy(() -> parse("-i", "pen", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Windows only");
                    assertThat(e.status()).isZero();
                });
    }

    @Test
    void unknownTlsProtocolIsRefusedWithPensMessage() {
        assertThatThrownBy(() -> parse("-L", "tls9", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("protocol version tls9 not known"));
    }

    @Test
    void oldSslProtocolIsAccepted() throws Exception {
        Options o = parse("-L", "ssl3", "8080");
        assertThat(o.tlsProtocol).isEqualTo("ssl3");
    }

    @Test
    void tlsOptionsAreKept() throws Exception {
        Options o = parse("-E", "c.pem", "-K", "k.pem", "-G", "ca.pem", "-A", "cadir", "-ZR", "8443");
        assertThat(o.tls()).isTrue();
        assertThat(o.tlsKey).isEqualTo("k.pem");
        assertThat(o.tlsCaFile).isEqualTo("ca.pem");
        assertThat(o.tlsCaDir).isEqualTo("cadir");
        assertThat(o.tlsCompat).isTrue();
        assertThat(o.tlsRequireClientCert).isTrue();
    }

    @Test
    void unimplementedHashWithoutSaveIsABadOption() {
        assertThatThrownBy(() -> parse("-N", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> assertThat(e.showUsage()).isTrue());
    }

    @Test
    void singleDashIsAPositionalArgument() throws Exception {
        assertThat(parse("-", "8080").positional).containsExactly("-", "8080");
    }

    @Test
    void usageTextIsPens() {
        String usage = Usage.text();
        assertThat(usage).startsWith("usage:\n  pen [-C addr:port] [-X]")
                .contains("  -f\tstay in foregound\n")
                .endsWith("example:\n  pen smtp mailhost1:smtp mailhost2:25 mailhost3\n\n");
    }

    @Test
    void helpAmongTheLettersAsksForTheUsageAndStopsReading() throws Exception {
        Options o = parse("-f", "--help", "-b", "soon");
        assertThat(o.help).isTrue();
        assertThat(o.foreground).isTrue();
    }

    @Test
    void problemBeforeHelpIsStillReported() {
        assertThatThrownBy(() -> parse("-b", "soon", "--help"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> assertThat(e.getMessage()).contains("soon"));
    }

    @Test
    void unknownLongOptionIsRefusedWithGetoptsMessageAndUsage() {
        assertThatThrownBy(() -> parse("--foo", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("pen: unrecognized option '--foo'");
                    assertThat(e.showUsage()).isTrue();
                    assertThat(e.status()).isEqualTo(1);
                });
    }

    @Test
    void longOptionNamedAfterALetterIsStillUnknown() {
        assertThatThrownBy(() -> parse("--f", "8080")).hasMessage("pen: unrecognized option '--f'");
    }

    @Test
    void usageTextListsEveryLongOptionWithItsHelpLine() {
        assertThat(Usage.text()).contains("  -L protocol   ssl23 (default), ssl2, ssl3 or tls1\n"
                + "  --help        show this text and exit\n"
                + "  --version     show the version and exit\n"
                + "  --first-byte-timeout T\n                close a client that sent nothing in T [60]\n"
                + "  --handshake-timeout T\n                close a TLS client not through its handshake in T [10]\n"
                + "  --check tcp|http:PATH\n                check servers: a connect, or a GET passing on 2xx/3xx [off]\n"
                + "  --inter T     time between checks [2]\n"
                + "  --fastinter T time between checks while a server goes up or down [inter]\n"
                + "  --rise N      passed checks that bring a down server back [2]\n"
                + "  --fall N      failed checks that take a server down [3]\n"
                + "  --slowstart T a server back up takes its full share of new clients over T [0]\n"
                + "  --check-timeout T\n                a check not done in T fails [inter]\n"
                + "  --admin [HOST:]PORT\n                serve /metrics, /status.json and a status page [off]\n"
                + "  --grace T     on TERM, let open connections finish for up to T, then close [off]\n"
                + "  --reuseport   share the listen port with a new balancer (SO_REUSEPORT) [off]\n"
                + "  --proxy-protocol v1|v2\n                send backends a PROXY header naming the client\n"
                + "  --accept-proxy NETWORK[,...]\n                take the client from the PROXY header of these"
                + " networks\n"
                + "  --strategy pen|maglev\n                choose servers as pen does, or by Maglev consistent"
                + " hashing [pen]\n"
                + "  --maglev-table-size N\n                entries of the Maglev table, a prime [65537]\n"
                + "  --dns-refresh resolve server names again on their records' TTL (1 s..1 h) [off]\n"
                + "  --srv NAME    fill free slots from NAME's SRV records, asked again on their TTL\n"
                + "  --dns-server IP[:PORT]\n                the DNS server discovery asks [/etc/resolv.conf]\n"
                + "  --servers-file PATH\n                servers from PATH, one spec a line, read again when it"
                + " changes\n"
                + "\nexample:");
    }

    @Test
    void graceTakesADurationUpToADayAndIsOffByDefault() throws Exception {
        assertThat(parse("8080", "a:80").grace).isNull();
        assertThat(parse("--grace", "30", "8080", "a:80").grace).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(parse("8080", "a:80", "--grace=1500ms").grace).isEqualTo(java.time.Duration.ofMillis(1500));
        assertThat(parse("--grace=86400s", "8080").grace).isEqualTo(java.time.Duration.ofDays(1));
    }

    @Test
    void badGraceIsRefusedNamingIt() {
        assertThatThrownBy(() -> parse("--grace=soon", "8080", "a:80"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("pen: --grace: unexpected value 'soon' "
                            + "(expected seconds, or a number with ms or s)");
                    assertThat(e.status()).isEqualTo(1);
                });
        assertThatThrownBy(() -> parse("--grace", "86401", "8080", "a:80"))
                .hasMessage("pen: --grace: unexpected value '86401' (expected at most 86400 seconds)");
        assertThatThrownBy(() -> parse("--grace", "-1", "8080", "a:80")).isInstanceOf(CommandLineException.class);
    }

    @Test
    void reuseportIsOffUnlessAskedAndTakesNoValue() throws Exception {
        assertThat(parse("8080", "a:80").reusePort).isFalse();
        assertThat(parse("--reuseport", "8080", "a:80").reusePort).isTrue();
        assertThatThrownBy(() -> parse("--reuseport=yes", "8080", "a:80")).isInstanceOf(CommandLineException.class);
    }

    @Test
    void adminBindsLoopbackForABarePortAndTheAddressNamedOtherwise() throws Exception {
        assertThat(parse("8080", "a:80").admin).isNull();
        assertThat(parse("--admin", "9100", "8080", "a:80").admin).isEqualTo(new AdminAddress("127.0.0.1", 9100));
        assertThat(parse("--admin=0.0.0.0:9100", "8080", "a:80").admin).isEqualTo(new AdminAddress("0.0.0.0", 9100));
        assertThat(parse("8080", "a:80", "--admin", "[::1]:9100").admin).isEqualTo(new AdminAddress("::1", 9100));
        assertThat(parse("--admin", "::1:9100", "8080").admin.toString()).isEqualTo("[::1]:9100");
    }

    @Test
    void aBadAdminAddressIsNamedWithWhatWasExpected() {
        for (String bad : new String[] {"0", "65536", "/run/pen/admin", "host:", "x:y:z:w"}) {
            assertThatThrownBy(() -> parse("--admin", bad, "8080", "a:80")).as(bad)
                    .isInstanceOf(CommandLineException.class).hasMessage("pen: --admin: unexpected address: " + bad
                            + " (expected [host:]port with a port of 1..65535; a bare port binds 127.0.0.1)");
        }
    }

    @Test
    void versionAmongTheLettersAsksForTheVersionAndStopsReading() throws Exception {
        Options o = parse("-f", "--version", "-b", "soon");
        assertThat(o.version).isTrue();
        assertThat(o.help).isFalse();
    }

    @Test
    void strategyIsPensUnlessMaglevIsAskedFor() throws Exception {
        assertThat(parse("8080", "a:80").strategy()).isEqualTo(dev.pen.api.Strategy.penModes());
        assertThat(parse("-h", "--strategy", "pen", "8080", "a:80").strategy()).isEqualTo(dev.pen.api.Strategy.penModes());
        assertThat(parse("--strategy", "maglev", "8080", "a:80").strategy()).isEqualTo(dev.pen.api.Strategy.maglev());
        assertThat(parse("--maglev-table-size=251", "8080", "a:80", "--strategy=maglev").strategy())
                .isEqualTo(dev.pen.api.Strategy.maglev(251));
    }

    @Test
    void aBadStrategyOrTableSizeIsRefusedInOneLineNamingWhatWasExpected() {
        assertThatThrownBy(() -> parse("--strategy", "ring", "8080", "a:80"))
                .hasMessage("pen: --strategy: unexpected strategy 'ring' (expected pen or maglev)");
        assertThatThrownBy(() -> parse("--strategy", "maglev", "--maglev-table-size", "65536", "8080", "a:80"))
                .hasMessage("pen: --maglev-table-size: unexpected Maglev table size: 65536 (expected a prime from 251"
                        + " to 1000003)");
        assertThatThrownBy(() -> parse("--strategy", "maglev", "--maglev-table-size", "1000033", "8080"))
                .hasMessage("pen: --maglev-table-size: unexpected Maglev table size: 1000033 (expected a prime from"
                        + " 251 to 1000003)");
        assertThatThrownBy(() -> parse("--strategy", "maglev", "--maglev-table-size=big", "8080"))
                .hasMessage("pen: --maglev-table-size: unexpected Maglev table size 'big' (expected a prime from 251"
                        + " to 1000003)");
        assertThatThrownBy(() -> parse("--maglev-table-size", "251", "8080", "a:80"))
                .isInstanceOf(CommandLineException.class)
                .hasMessage("pen: --maglev-table-size: unexpected with --strategy pen (expected --strategy maglev)");
    }
}
