package dev.pen.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.launcher.discovery.Dnsmasq;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher does with discovery input it cannot use at start: one line, exit 1, nothing left running. */
class DiscoveryStartTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Launcher(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), null).run();
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aNameTheDnsServerDoesNotKnowIsOneLineAndExitOne() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.2 web.test"), List.of())) {
            assertThat(run("-f", "--dns-refresh", "--dns-server", dns.server(), "127.0.0.1:0", "web.test:80",
                    "nosuch.test:80")).isEqualTo(1);
            assertThat(stderr()).isEqualTo("unknown or invalid address [nosuch.test]\n");
        }
    }

    @Test
    void anSrvNameWithoutRecordsIsOneLineAndExitOne() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.2 web.test"), List.of())) {
            assertThat(run("-f", "--srv", "_none._tcp.test", "--dns-server", dns.server(), "127.0.0.1:0"))
                    .isEqualTo(1);
            assertThat(stderr()).isEqualTo("pen: --srv _none._tcp.test: no such name\n");
        }
    }

    @Test
    void aServersFileWithABadLineIsOneLineNamingItAndExitOne() throws Exception {
        Path file = dir.resolve("servers");
        Files.writeString(file, "127.0.0.2:80\n127.0.0.3:80:1:2:3:4:5\n");
        assertThat(run("-f", "--servers-file", file.toString(), "127.0.0.1:0")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("pen: servers file " + file + " line 2: bad server spec "
                + "'127.0.0.3:80:1:2:3:4:5' (expected host[:port[:maxc[:hard[:weight[:prio]]]]]; a bare IPv6 "
                + "address needs brackets)\n");
    }
}
