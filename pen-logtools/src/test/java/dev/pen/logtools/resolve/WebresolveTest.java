package dev.pen.logtools.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** webresolve and splitwr against a real DNS server (dnsmasq) on a loopback port. */
class WebresolveTest {

    @TempDir
    static Path dir;

    static Dnsmasq dns;

    @BeforeAll
    static void startDns() throws Exception {
        List<String> hosts = new ArrayList<>(List.of("10.1.0.1 alpha.test", "10.1.0.2 beta.test",
            "fd00::1 six.test", "10.9.9.9 liar.test"));
        for (int i = 0; i < 200; i++) {
            hosts.add("10.2." + (i / 100) + "." + (i % 100) + " host" + i + ".test");
        }
        dns = Dnsmasq.start(dir, hosts, List.of("4.0.1.10.in-addr.arpa,liar.test"), "77.10.in-addr.arpa");
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    record Run(int status, String out, String err) {
    }

    static Run run(String program, String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Webresolve.run(program, args,
            new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), out,
            new PrintStream(err, true, StandardCharsets.ISO_8859_1));
        return new Run(status, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
    }

    static String resolve(String input, String... options) {
        List<String> args = new ArrayList<>(List.of("--dns", dns.dnsArgument(), "--timeout", "1"));
        args.addAll(List.of(options));
        Run r = run("webresolve", input, args.toArray(new String[0]));
        assertThat(r.status()).as(r.err()).isZero();
        return r.out();
    }

    @Test
    void addressesThatResolveAreReplacedByTheirNames() {
        assertThat(resolve("10.1.0.1 - - [x] \"GET / HTTP/1.1\" 200 5\nfd00::1 - - y\n"))
            .isEqualTo("alpha.test - - [x] \"GET / HTTP/1.1\" 200 5\nsix.test - - y\n");
    }

    @Test
    void addressWithoutANameIsLeftUnchanged() {
        assertThat(resolve("10.1.0.3 - - line\n")).isEqualTo("10.1.0.3 - - line\n");
    }

    @Test
    void everyOtherByteAndTheLineOrderAreKept() {
        String input = "10.1.0.2  two spaces\r\nnot-an-address x\n\n10.1.0.1\n10.1.0.3 \u00e9\t\u0001 z\n10.1.0.2 last";

        assertThat(resolve(input)).isEqualTo(
            "beta.test  two spaces\r\nnot-an-address x\n\nalpha.test\n10.1.0.3 \u00e9\t\u0001 z\nbeta.test last");
    }

    @Test
    void lookupThatTimesOutLeavesTheAddressAndLaterLinesKeepTheirPlace() {
        long start = System.nanoTime();

        String out = resolve("10.77.0.1 first\n10.1.0.1 second\n10.77.0.1 third\n10.1.0.2 fourth\n");

        assertThat(out).isEqualTo("10.77.0.1 first\nalpha.test second\n10.77.0.1 third\nbeta.test fourth\n");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000);
    }

    @Test
    void silentServerTimesOutAfterTheTimeout() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            long start = System.nanoTime();

            Run r = run("webresolve", "10.1.0.1 a\n", "--dns", "127.0.0.1:" + silent.getLocalPort(),
                "--timeout", "0.5");

            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.out()).isEqualTo("10.1.0.1 a\n");
            assertThat(millis).isBetween(400L, 3000L);
        }
    }

    @Test
    void lookupsRunInParallel() throws IOException {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            input.append("10.77.1.").append(i).append(" x\n");
        }
        long start = System.nanoTime();

        String out = resolve(input.toString(), "--parallel", "100");

        assertThat(out).isEqualTo(input.toString());
        assertThat((System.nanoTime() - start) / 1_000_000).as("100 timeouts of 1 s at once").isLessThan(5000);
    }

    @Test
    void confirmRejectsANameThatDoesNotResolveBackToTheAddress() {
        assertThat(resolve("10.1.0.4 x\n")).isEqualTo("liar.test x\n");
        assertThat(resolve("10.1.0.4 x\n", "-c")).isEqualTo("10.1.0.4 x\n");
    }

    @Test
    void confirmKeepsANameThatResolvesBackToTheAddress() {
        assertThat(resolve("10.1.0.1 x\nfd00::1 y\n", "-c")).isEqualTo("alpha.test x\nsix.test y\n");
    }

    @Test
    void statisticsCountLookupsCacheHitsAndFailures() throws IOException {
        Path stats = dir.resolve("stats");

        resolve("10.1.0.1 a\n10.1.0.1 b\nname c\n10.1.0.3 d\n10.77.0.9 e\n10.1.0.4 f\n", "-c", "-s", stats.toString());

        assertThat(Files.readString(stats)).isEqualTo("""
            webresolve Statistics:
            Entries: 6
                With name   : 1
                Resolves    : 4
                - No reverse : 1
                - Timed out : 1
                - Double lookup failed : 1
            Cache hits      : 1
            Cache size      : 4
            """);
    }

    @Test
    void hostsFileIsReadBeforeTheSystemsServers() throws IOException {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "# comment\n192.0.2.7  seven.example seven\n192.0.2.7 other.example\n");

        Run r = run("webresolve", "192.0.2.7 x\n", "--hosts-file", hosts.toString(), "--timeout", "1");

        assertThat(r.out()).isEqualTo("seven.example x\n");
    }

    @Test
    void splitwrGivesWebresolvesOutput() throws IOException {
        Random random = new Random(3);
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            int host = random.nextInt(260);
            String address = host < 200 ? "10.2." + (host / 100) + "." + (host % 100) : "10.3.0." + host;
            log.append(address).append(" - - [08/Jan/2024:23:28:52 +0000] \"GET /").append(i)
                .append(" HTTP/1.1\" 200 ").append(i).append('\n');
        }
        Path file = dir.resolve("access_log");
        Files.writeString(file, log, StandardCharsets.ISO_8859_1);

        Run split = run("splitwr", "", "--dns", dns.dnsArgument(), file.toString());
        String web = resolve("", file.toString());

        assertThat(split.status()).isZero();
        assertThat(split.out()).isEqualTo(web);
        String[] in = log.toString().split("\n");
        String[] out = web.split("\n");
        assertThat(out).hasSameSizeAs(in);
        for (int i = 0; i < in.length; i++) {
            String address = in[i].substring(0, in[i].indexOf(' '));
            String expected = address.startsWith("10.2.")
                ? "host" + (Integer.parseInt(address.split("\\.")[2]) * 100 + Integer.parseInt(address.split("\\.")[3]))
                    + ".test" + in[i].substring(address.length())
                : in[i];
            assertThat(out[i]).isEqualTo(expected);
        }
    }

    @Test
    void splitwrWithoutAFileIsAnError() {
        Run r = run("splitwr", "10.1.0.1 x\n");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("splitwr: no FILE given (expected splitwr FILE > FILE.resolved)\n");
    }

    @Test
    void unreadableFileIsOneLineNamingIt() {
        Path missing = dir.resolve("missing_log");

        Run r = run("webresolve", "", missing.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("webresolve: can't read '" + missing + "': No such file or directory\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownOptionIsNamedWithTheUsage() {
        Run r = run("webresolve", "", "-x");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("webresolve: unknown option '-x'\nUsage: webresolve [-c] [-s statfile]");
    }

    @Test
    void helpPrintsTheUsageOnStdout() {
        Run r = run("webresolve", "", "--help");

        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("Usage: webresolve [-c] [-s statfile] [--dns HOST[:PORT]]... "
            + "[--parallel N] [--timeout SECONDS] [FILE...]\n");
    }
}
