package dev.pen.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
                + "  --proxy-protocol v1|v2\n                send backends a PROXY header naming the client\n"
                + "  --accept-proxy NETWORK[,...]\n                take the client from the PROXY header of these"
                + " networks\n"
                + "\nexample:");
    }

    @Test
    void versionAmongTheLettersAsksForTheVersionAndStopsReading() throws Exception {
        Options o = parse("-f", "--version", "-b", "soon");
        assertThat(o.version).isTrue();
        assertThat(o.help).isFalse();
    }
}
