package dev.pen.logtools.mergelogs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.cli.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mergelogs against outputs worked out by hand from pen's rules (spec 6.1). */
class MergelogsTest {

    /** 08/Jan/2024:23:28:52 UTC. */
    static final long T = 1704756532L;

    @TempDir
    Path dir;

    Path file(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        return p;
    }

    static String web(String time, String request) {
        return "10.0.0.99 - - [" + time + "] \"" + request + "\" 200 5";
    }

    String merge(String... args) {
        MergelogsRun run = MergelogsRun.of(args);
        assertThat(run.status()).as(run.err()).isZero();
        return run.out();
    }

    @Test
    void expectedOutputFileIsReproduced() throws IOException {
        Path cases = Path.of("src/test/resources/mergelogs");
        MergelogsRun run = MergelogsRun.of("-p", cases.resolve("pen.log").toString(),
            "10.0.0.1:" + cases.resolve("access_log.1"), "10.0.0.2:" + cases.resolve("access_log.2"),
            "10.0.0.3:" + cases.resolve("access_log.3"));

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(Files.readString(cases.resolve("expected.log"), StandardCharsets.ISO_8859_1));
        assertThat(run.err()).contains("1 line of '" + cases.resolve("access_log.2") + "' could not be parsed");
    }

    @Test
    void nearestPenEntryOfSameServerAndRequestGivesTheClient() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + (T - 5) + " 10.0.0.1 GET /a HTTP/1.1",
            "10.3.3.3 " + (T + 1) + " 10.0.0.1 GET /a HTTP/1.1",
            "10.4.4.4 " + T + " 10.0.0.2 GET /a HTTP/1.1",
            "10.5.5.5 " + T + " 10.0.0.1 GET /b HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + web))
            .isEqualTo("10.3.3.3 - - [08/Jan/2024:23:28:52 +0000] \"GET /a HTTP/1.1\" 200 5\n");
    }

    @Test
    void equallyNearEntriesGoToTheEarliestPenLine() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + (T + 2) + " 10.0.0.1 GET /a HTTP/1.1",
            "10.2.2.2 " + (T - 2) + " 10.0.0.1 GET /a HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + web)).startsWith("10.1.1.1 ");
    }

    @Test
    void equalTimesInTwoLogsGoFirstToTheEarlierArgument() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /one HTTP/1.1",
            "10.2.2.2 " + T + " 10.0.0.2 GET /two HTTP/1.1");
        Path w1 = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /one HTTP/1.1"));
        Path w2 = file("w2", web("08/Jan/2024:23:28:52 +0000", "GET /two HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "10.0.0.2:" + w2, "10.0.0.1:" + w1)).isEqualTo(
            "10.2.2.2 - - [08/Jan/2024:23:28:52 +0000] \"GET /two HTTP/1.1\" 200 5\n"
                + "10.1.1.1 - - [08/Jan/2024:23:28:52 +0000] \"GET /one HTTP/1.1\" 200 5\n");
    }

    @Test
    void unmatchedLineGetsTheServerAddressAsClient() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /other HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + web)).startsWith("10.0.0.1 - - [");
    }

    @Test
    void penEntriesOfAnotherServerNeverMatch() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.2 GET /a HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + web)).startsWith("10.0.0.1 ");
    }

    @Test
    void garbageLineIsLeftOutAndCountedOnStderr() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1");
        Path web = file("w1", "this is not a log line", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"));

        MergelogsRun run = MergelogsRun.of("-p", pen.toString(), "10.0.0.1:" + web);

        assertThat(run.out()).isEqualTo("10.1.1.1 - - [08/Jan/2024:23:28:52 +0000] \"GET /a HTTP/1.1\" 200 5\n");
        assertThat(run.err()).isEqualTo("mergelogs: 1 line of '" + web
            + "' could not be parsed and was left out (use -r FILE to keep them)\n");
    }

    @Test
    void rejectedLinesAreWrittenToTheRejectsFile() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1");
        Path web = file("w1", "junk one", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"),
            "10.0.0.99 - - [99/Foo/2024:23:28:52 +0000] \"GET /a HTTP/1.1\" 200 5");
        Path rejects = dir.resolve("rejects");

        MergelogsRun run = MergelogsRun.of("-p", pen.toString(), "-r", rejects.toString(), "10.0.0.1:" + web);

        assertThat(run.status()).isZero();
        assertThat(Files.readString(rejects)).isEqualTo(
            "junk one\n10.0.0.99 - - [99/Foo/2024:23:28:52 +0000] \"GET /a HTTP/1.1\" 200 5\n");
        assertThat(run.err()).contains("2 lines of '" + web + "'").contains("written to '" + rejects + "'");
    }

    @Test
    void malformedPenLogLinesAreCountedAndIgnored() throws IOException {
        Path pen = file("pen.log", "garbage", "10.1.1.1 notatime 10.0.0.1 GET /a HTTP/1.1",
            "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"));

        MergelogsRun run = MergelogsRun.of("-p", pen.toString(), "10.0.0.1:" + web);

        assertThat(run.out()).startsWith("10.1.1.1 ");
        assertThat(run.err()).isEqualTo("mergelogs: 2 lines of pen log '" + pen
            + "' could not be parsed and were ignored\n");
    }

    @Test
    void zoneOffsetIsAppliedAndTheTimeIsPrintedInUtc() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + (T - 5) + " 10.0.0.1 GET /a HTTP/1.1",
            "10.3.3.3 " + (T + 1) + " 10.0.0.1 GET /a HTTP/1.1");
        Path web = file("w1", web("09/Jan/2024:00:28:52 +0100", "GET /a HTTP/1.1"),
            web("08/Jan/2024:18:28:53 -0500", "GET /a HTTP/1.1"),
            web("09/Jan/2024:04:58:54 +0530", "GET /a HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + web)).isEqualTo(
            "10.3.3.3 - - [08/Jan/2024:23:28:52 +0000] \"GET /a HTTP/1.1\" 200 5\n"
                + "10.3.3.3 - - [08/Jan/2024:23:28:53 +0000] \"GET /a HTTP/1.1\" 200 5\n"
                + "10.3.3.3 - - [08/Jan/2024:23:28:54 +0000] \"GET /a HTTP/1.1\" 200 5\n");
    }

    @Test
    void linesFromLogsInDifferentZonesAreMergedByInstant() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1",
            "10.2.2.2 " + (T + 1) + " 10.0.0.2 GET /b HTTP/1.1");
        Path w1 = file("w1", web("08/Jan/2024:23:28:53 +0000", "GET /a HTTP/1.1"));
        Path w2 = file("w2", web("09/Jan/2024:08:28:52 +0900", "GET /b HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + w1, "10.0.0.2:" + w2)).isEqualTo(
            "10.2.2.2 - - [08/Jan/2024:23:28:52 +0000] \"GET /b HTTP/1.1\" 200 5\n"
                + "10.1.1.1 - - [08/Jan/2024:23:28:53 +0000] \"GET /a HTTP/1.1\" 200 5\n");
    }

    @Test
    void outputDoesNotDependOnTheMachineTimeZone() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /b HTTP/1.1");
        Path web = file("w1", web("09/Jul/2024:01:28:52 +0200", "GET /a HTTP/1.1"));
        TimeZone saved = TimeZone.getDefault();
        String inHelsinki;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Helsinki"));
            inHelsinki = merge("-p", pen.toString(), "10.0.0.1:" + web);
        } finally {
            TimeZone.setDefault(saved);
        }

        assertThat(inHelsinki).startsWith("10.0.0.1 - - [08/Jul/2024:23:28:52 +0000]");
    }

    @Test
    void requestOver100BytesNeverMatchesPensTruncatedText() throws IOException {
        String exactly100 = "GET /" + "a".repeat(86) + " HTTP/1.1";
        String over100 = "GET /" + "b".repeat(100) + " HTTP/1.1";
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 " + exactly100,
            "10.2.2.2 " + T + " 10.0.0.1 " + over100.substring(0, 100));
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", exactly100),
            web("08/Jan/2024:23:28:52 +0000", over100));

        assertThat(exactly100).hasSize(100);
        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + web).lines())
            .extracting(l -> l.substring(0, l.indexOf(' ')))
            .containsExactly("10.1.1.1", "10.0.0.1");
    }

    @Test
    void minusTSubtractsSecondsFromPenTimes() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + (T + 7200) + " 10.0.0.1 GET /a HTTP/1.1",
            "10.2.2.2 " + (T + 7100) + " 10.0.0.1 GET /a HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "-t", "7200", "10.0.0.1:" + web)).startsWith("10.1.1.1 ");
    }

    @Test
    void cacheModeForgetsEntriesOlderThanTheJitterWindow() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1",
            "10.2.2.2 " + (T + 1) + " 10.0.0.1 GET /x HTTP/1.1",
            "10.3.3.3 " + (T + 5000) + " 10.0.0.1 GET /z HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"),
            web("09/Jan/2024:00:52:12 +0000", "GET /x HTTP/1.1"));

        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + web).lines())
            .extracting(l -> l.substring(0, l.indexOf(' ')))
            .containsExactly("10.1.1.1", "10.0.0.1");
    }

    @Test
    void minusCSearchesTheWholePenLogForEveryLine() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1",
            "10.2.2.2 " + (T + 1) + " 10.0.0.1 GET /x HTTP/1.1",
            "10.3.3.3 " + (T + 5000) + " 10.0.0.1 GET /z HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"),
            web("09/Jan/2024:00:52:12 +0000", "GET /x HTTP/1.1"));

        assertThat(merge("-c", "-p", pen.toString(), "10.0.0.1:" + web).lines())
            .extracting(l -> l.substring(0, l.indexOf(' ')))
            .containsExactly("10.1.1.1", "10.2.2.2");
    }

    @Test
    void jitterOptionNarrowsTheWindow() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /x HTTP/1.1",
            "10.2.2.2 " + (T + 30) + " 10.0.0.1 GET /a HTTP/1.1",
            "10.3.3.3 " + (T + 100) + " 10.0.0.1 GET /z HTTP/1.1");
        Path web = file("w1", web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"),
            web("08/Jan/2024:23:29:52 +0000", "GET /x HTTP/1.1"));

        assertThat(merge("-j", "10", "-p", pen.toString(), "10.0.0.1:" + web).lines())
            .extracting(l -> l.substring(0, l.indexOf(' ')))
            .containsExactly("10.2.2.2", "10.0.0.1");
    }

    @Test
    void carriageReturnAndOtherBytesOfTheLineAreKept() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /\u00e9 HTTP/1.1");
        Path web = file("w1", "10.0.0.99  - \u00e9 [08/Jan/2024:23:28:52 +0000] \"GET /\u00e9 HTTP/1.1\" 200 5\r");

        assertThat(merge("-p", pen.toString(), "10.0.0.1:" + web))
            .isEqualTo("10.1.1.1 - \u00e9 [08/Jan/2024:23:28:52 +0000] \"GET /\u00e9 HTTP/1.1\" 200 5\r\n");
    }

    @Test
    void noServerArgumentPrintsUsageOnStdout() {
        MergelogsRun run = MergelogsRun.of("-p", "pen.log");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(Mergelogs.USAGE).startsWith("Usage: mergelogs -p penlog [-j jitter] \\\n");
    }

    @Test
    void helpPrintsUsageOnStdout() {
        MergelogsRun run = MergelogsRun.of("-p", "pen.log", "--help", "10.0.0.1:access_log");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo(Mergelogs.USAGE);
    }

    @Test
    void versionPrintsTheProgramAndItsVersion() {
        MergelogsRun run = MergelogsRun.of("--version");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("mergelogs " + Version.current() + "\n");
    }

    @Test
    void badOptionIsNamedAndUsageGoesToStderr() {
        MergelogsRun run = MergelogsRun.of("-x", "a:b");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("mergelogs: invalid option -- 'x'\n" + Mergelogs.USAGE);
    }

    @Test
    void missingPenLogIsOneLineNamingIt() {
        MergelogsRun run = MergelogsRun.of("10.0.0.1:access_log");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("mergelogs: pfile null: no pen log given (expected -p penlog)\n");
    }

    @Test
    void unreadablePenLogIsOneLineNamingIt() {
        Path missing = dir.resolve("nope.log");

        MergelogsRun run = MergelogsRun.of("-p", missing.toString(), "10.0.0.1:x");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("mergelogs: pfp null: can't read pen log '" + missing
            + "': No such file or directory\n");
    }

    @Test
    void serverArgumentWithoutColonIsOneLineNamingIt() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1");

        MergelogsRun run = MergelogsRun.of("-p", pen.toString(), "access_log");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("mergelogs: Bogus server 'access_log' (expected server:logfile)\n");
    }

    @Test
    void unreadableWebLogIsOneLineNamingIt() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1");
        Path locked = file("locked");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        boolean root = Files.isReadable(locked);
        Path target = root ? dir : locked;

        MergelogsRun run = MergelogsRun.of("-p", pen.toString(), "10.0.0.1:" + target);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("mergelogs: Can't open logfile '" + target + "': "
            + (root ? "Is a directory" : "Permission denied") + "\n");
    }

    @Test
    void badJitterIsOneLineNamingIt() throws IOException {
        MergelogsRun run = MergelogsRun.of("-j", "ten", "-p", "pen.log", "10.0.0.1:x");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("mergelogs: bad jitter 'ten' (expected a whole number of seconds)\n");
    }

    @Test
    void progressIsShownOnATerminalForLargeInput() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1");
        String[] lines = new String[20_000];
        java.util.Arrays.fill(lines, web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"));
        Path web = file("w1", lines);

        MergelogsRun run = MergelogsRun.withProgress(true, 1000, "-p", pen.toString(), "10.0.0.1:" + web);

        assertThat(run.err()).startsWith("\rmergelogs: ").contains("% (4096 lines)").endsWith("\r\033[K");
    }

    @Test
    void progressIsNotShownWhenStderrIsNoTerminal() throws IOException {
        Path pen = file("pen.log", "10.1.1.1 " + T + " 10.0.0.1 GET /a HTTP/1.1");
        String[] lines = new String[20_000];
        java.util.Arrays.fill(lines, web("08/Jan/2024:23:28:52 +0000", "GET /a HTTP/1.1"));
        Path web = file("w1", lines);

        MergelogsRun run = MergelogsRun.withProgress(false, 1000, "-p", pen.toString(), "10.0.0.1:" + web);

        assertThat(run.err()).isEmpty();
    }
}
