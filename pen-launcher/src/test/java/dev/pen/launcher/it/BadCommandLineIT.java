package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pen refuses bad command lines and failed starts with a non-zero status and a message naming the problem,
 * before going to the background, and leaves nothing running (no pid file, no listener).
 */
class BadCommandLineIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Programs programs;
    private int port;

    @BeforeEach
    void programs() throws IOException {
        programs = new Programs(dir);
        port = Programs.freePort();
        programs.daemon(dir.resolve("pen.pid"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        programs.close();
    }

    /** Runs bin/pen in the background mode (no -f) with a pid file, as a daemon start would. */
    private Programs.Result pen(String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = Programs.bin("pen");
        cmd[1] = "-p";
        cmd[2] = "pen.pid";
        System.arraycopy(args, 0, cmd, 3, args.length);
        return programs.run(WAIT, cmd);
    }

    private void assertNothingLeftRunning() {
        assertThat(dir.resolve("pen.pid")).doesNotExist();
        assertThat(Programs.listening(port)).isFalse();
    }

    @Test
    void unknownOptionPrintsUsageAndFails() throws Exception {
        Programs.Result r = pen("-Y", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("pen: invalid option -- 'Y'");
        assertThat(r.out()).startsWith("usage:");
        assertNothingLeftRunning();
    }

    @Test
    void unknownLongOptionPrintsUsageAndFails() throws Exception {
        Programs.Result r = pen("--foo", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pen: unrecognized option '--foo'\n");
        assertThat(r.out()).startsWith("usage:");
        assertNothingLeftRunning();
    }

    @Test
    void helpPrintsTheUsageOnStdoutAndStartsNothing() throws Exception {
        Programs.Result r = pen("127.0.0.1:" + port, "--help", "127.0.0.1:80");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("usage:").contains("  --help        show this text and exit\n");
        assertThat(r.err()).isEmpty();
        assertNothingLeftRunning();
    }

    @Test
    void portInUseFailsNamingTheAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            Programs.Result r = pen("127.0.0.1:" + port, "127.0.0.1:80");
            assertThat(r.status()).isNotZero();
            assertThat(r.err()).contains("can't bind local address").contains("127.0.0.1:" + port);
        }
        assertNothingLeftRunning();
    }

    @Test
    void unknownServerHostFailsWithPensMessage() throws Exception {
        Programs.Result r = pen("127.0.0.1:" + port, "nosuchhost.invalid:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("unknown or invalid address [nosuchhost.invalid]");
        assertNothingLeftRunning();
    }

    @Test
    void unreadableConfigFileFailsNamingIt() throws Exception {
        Programs.Result r = pen("-F", "missing.cfg", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("missing.cfg");
        assertNothingLeftRunning();
    }

    @Test
    void badNumberFailsNamingOptionAndValue() throws Exception {
        Programs.Result r = pen("-b", "soon", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("-b").contains("soon");
        assertNothingLeftRunning();
    }

    @Test
    void badHealthCheckSettingFailsInOneLineBeforeGoingToTheBackground() throws Exception {
        Programs.Result r = pen("--check", "ping", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("pen: --check: unexpected value 'ping' (expected tcp, http:PATH or off)");
        assertNothingLeftRunning();
        r = pen("--check", "tcp", "--inter=0", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("pen: --inter: unexpected inter: 0 ms (expected 10 ms to 24 h)");
        assertNothingLeftRunning();
    }

    @Test
    void listenPortOutOfRangeFailsNamingIt() throws Exception {
        Programs.Result r = pen("99999", "127.0.0.1:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("99999");
        assertThat(dir.resolve("pen.pid")).doesNotExist();
    }

    @Test
    void chrootIsRefusedSayingWhatToUseInstead() throws Exception {
        Programs.Result r = pen("-j", "/var/empty", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("-j").contains("container");
        assertNothingLeftRunning();
    }

    @Test
    void unknownUserFailsWithPensMessage() throws Exception {
        Programs.Result r = pen("-u", "nosuchuser", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("Can't getpwnam(nosuchuser)");
        assertNothingLeftRunning();
    }

    @Test
    void noListenAddressPrintsUsageAndFails() throws Exception {
        Programs.Result r = pen("-d");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("no listen address");
        assertThat(r.out()).startsWith("usage:");
    }

    @Test
    void obsoleteOptionGivesPensNoticeAndStarts() throws Exception {
        Programs.Result r = pen("-D", "127.0.0.1:" + port, "127.0.0.1:80");
        assertThat(r.status()).isZero();
        assertThat(r.err()).contains("Pen 0.26.0 removed the delayed forward feature,\nmaking the -D option obsolete");
        assertThat(Programs.listening(port)).isTrue();
    }
}
