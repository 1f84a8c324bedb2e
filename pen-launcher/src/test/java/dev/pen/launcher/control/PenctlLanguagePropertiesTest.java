package dev.pen.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.BalancerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The penctl language as a property: any line gets a reply and never an exception, and whatever state commands
 * build, {@code write} writes a file that {@code include} (pen's -F) reads back to the same configuration.
 */
class PenctlLanguagePropertiesTest {
    private static final List<String> WORDS = List.of("server", "servers", "acl", "no", "hash", "roundrobin",
            "stubborn", "weight", "prio", "http", "blacklist", "timeout", "tracking", "clients_max", "conn_max",
            "client_acl", "control_acl", "mode", "recent", "connection", "close", "idle_timeout", "debug", "ascii",
            "listen", "status", "strategy", "pen", "maglev", "251", "address", "port", "max", "hard", "drain", "permit", "deny", "0", "1", "7",
            "-1", "99999999999", "10000", "127.0.0.1", "::1", "10.0.0.0", "255.255.255.0", "/24", "x", "");
    private final Path dir = tempDir();

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("penctl-properties");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterProperty
    void removeFiles() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Lines as the control port takes them; never {@code write}, which would leave files wherever the test runs. */
    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.of(WORDS),
                Arbitraries.strings().withChars("abc019:./- \t\r\n\u0000\u00ff").ofMaxLength(8));
        return word.list().ofMaxSize(7).map(w -> String.join(" ", w));
    }

    @Property(tries = 3000)
    void everyLineGetsAReplyAndTheConfigurationStaysValid(@ForAll("lines") String line) {
        FakeHost host = new FakeHost();
        Interpreter pen = new Interpreter(host, new Settings(), reply -> { });
        String reply = pen.execute(line);
        assertThat(reply.length()).isLessThan(64 * 1024);
        assertThat(host.config.toBuilder().build()).isEqualTo(host.config);
    }

    @Provide
    Arbitrary<List<String>> settings() {
        Arbitrary<String> server = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(1, 65535), Arbitraries.integers().between(0, 50),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(-1, 9))
                .as((n, port, max, w, prio) -> "server " + n + " address 10.0.0." + (n + 1) + " port " + port
                        + " max " + max + (w == 0 ? "" : " weight " + w) + (prio < 0 ? "" : " prio " + prio));
        Arbitrary<String> acl = Combinators.combine(Arbitraries.integers().between(0, 9),
                Arbitraries.of("permit", "deny"), Arbitraries.integers().between(0, 255))
                .as((n, verb, b) -> "acl " + n + " " + verb + " 10.1." + b + ".0 255.255.255.0");
        Arbitrary<String> other = Arbitraries.of("hash", "no hash", "roundrobin", "stubborn", "weight", "prio",
                "http", "no http", "blacklist 7", "timeout 9", "tracking 60", "clients_max 4096", "conn_max 900",
                "client_acl 3", "no acl 2", "server 1 acl 4", "server 2 address 0.0.0.0 port 80",
                "strategy maglev", "strategy maglev 251", "strategy pen");
        return Arbitraries.oneOf(server, acl, other).list().ofMaxSize(12);
    }

    @Property(tries = 300)
    void whatWriteWritesReadsBackToTheSameConfiguration(@ForAll("settings") List<String> commands)
            throws IOException {
        FakeHost host = new FakeHost();
        Interpreter pen = new Interpreter(host, new Settings(), reply -> { });
        for (String c : commands) {
            pen.execute(c);
        }
        Path file = dir.resolve("pen.cfg");
        assertThat(pen.execute("write " + file)).isEmpty();

        FakeHost again = new FakeHost();
        new Interpreter(again, new Settings(), reply -> { }).executeFile(file);
        // pen writes -c and -x on the file's "# pen" line, for the command line that starts it again.
        BalancerConfig written = host.config;
        BalancerConfig read = again.config.toBuilder().limits(again.config.limits()
                .withClientTableSize(written.limits().clientTableSize())
                .withMaxConnections(written.limits().maxConnections())).build();
        assertThat(read).isEqualTo(written);
        assertThat(Files.readString(file)).contains(written.limits().clientTableSize() == 2048 ? "# pen "
                : "-c " + written.limits().clientTableSize());
    }
}
