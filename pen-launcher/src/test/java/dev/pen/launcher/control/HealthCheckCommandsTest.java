package dev.pen.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import dev.pen.api.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health check commands: {@code check ...}, {@code server N check ...}, how servers shows them and write. */
class HealthCheckCommandsTest {
    private final FakeHost host = new FakeHost();
    private final Settings settings = new Settings();
    private Interpreter pen;

    @TempDir
    Path dir;

    @BeforeEach
    void twoServers() {
        pen = new Interpreter(host, settings, r -> { });
        host.config = host.config.toBuilder().backend(0, Backend.parse("127.0.0.1:18081", 80))
                .backend(1, Backend.parse("127.0.0.1:18082", 80)).build();
        settings.setListen("18080");
        settings.setControl("127.0.0.1:18100");
    }

    @Test
    void checksAreOffByDefaultAndServersShowsPensLinesOnly() {
        assertThat(pen.execute("check")).isEqualTo("check off\n");
        assertThat(pen.execute("servers")).isEqualTo(
                "0 addr 127.0.0.1 port 18081 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n"
                        + "1 addr 127.0.0.1 port 18082 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n");
    }

    @Test
    void checkSetsTheChecksOfEveryServerAndServersShowsThemAfterPensFields() {
        assertThat(pen.execute("check http:/health inter 500ms fall 2")).isEqualTo(
                "check http:/health inter 500ms fall 2\n");
        assertThat(host.config.healthCheck()).isEqualTo(HealthCheck.http("/health")
                .withInter(Duration.ofMillis(500)).withFall(2));
        assertThat(pen.execute("check rise 5")).isEqualTo("check http:/health inter 500ms rise 5 fall 2\n");
        assertThat(pen.execute("servers")).isEqualTo(
                "0 addr 127.0.0.1 port 18081 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0"
                        + " check http:/health inter 500ms rise 5 fall 2 health up\n"
                        + "1 addr 127.0.0.1 port 18082 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0"
                        + " check http:/health inter 500ms rise 5 fall 2 health up\n");
    }

    @Test
    void serverCheckLiesOverTheBalancersForThatServerOnly() {
        pen.execute("check tcp inter 1");
        assertThat(pen.execute("server 1 check off")).isEmpty();
        assertThat(pen.execute("server 0 fastinter 200ms slowstart 30 check_timeout 3")).isEmpty();
        assertThat(host.config.backend(0).orElseThrow().healthCheck()).isEqualTo(HealthCheck.NONE
                .withFastInter(Duration.ofMillis(200)).withSlowStart(Duration.ofSeconds(30))
                .withTimeout(Duration.ofSeconds(3)));
        assertThat(pen.execute("servers")).isEqualTo(
                "0 addr 127.0.0.1 port 18081 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0"
                        + " check tcp inter 1 fastinter 200ms slowstart 30 check_timeout 3 health up\n"
                        + "1 addr 127.0.0.1 port 18082 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n");
    }

    @Test
    void badCheckSettingsGetOneLineAndChangeNothing() {
        pen.execute("check tcp");
        BalancerConfig before = host.config;
        for (String bad : List.of("check udp", "check http:health", "check inter 0", "check inter 5m",
                "check rise 0", "check fall 1001", "check tcp inter", "check colour blue", "check slowstart 25h",
                "server 0 check ping", "server 0 inter soon", "server 0 rise x", "server 0 check_timeout 5ms",
                "server 5 check tcp", "server 0 check")) {
            assertThat(pen.execute(bad)).as(bad).hasLineCount(1).endsWith("\n");
            assertThat(host.config).as(bad).isSameAs(before);
        }
        assertThat(pen.execute("check udp")).isEqualTo(
                "check: unexpected value 'udp' (expected tcp, http:PATH or off)\n");
        assertThat(pen.execute("server 0 inter 0")).isEqualTo(
                "server inter: unexpected inter: 0 ms (expected 10 ms to 24 h)\n");
    }

    @Test
    void writtenChecksReadBackToTheSameState() throws IOException {
        pen.execute("check http:/ready inter 250ms rise 3");
        pen.execute("server 1 check tcp fall 1 slowstart 10");
        pen.execute("server 0 check off");
        Path file = dir.resolve("checks.cfg");
        assertThat(pen.execute("write " + file)).isEmpty();
        assertThat(Files.readAllLines(file)).contains("check http:/ready inter 250ms rise 3",
                "server 0 acl 0 address 127.0.0.1 port 18081 max 0 hard 0 check off",
                "server 1 acl 0 address 127.0.0.1 port 18082 max 0 hard 0 check tcp fall 1 slowstart 10");

        FakeHost other = new FakeHost();
        new Interpreter(other, new Settings(), r -> { }).executeFile(file);
        assertThat(other.config.healthCheck()).isEqualTo(host.config.healthCheck());
        assertThat(other.config.backends()).isEqualTo(host.config.backends());
    }

    @Test
    void writeOfABalancerWithoutChecksHasNoCheckLine() throws IOException {
        Path file = dir.resolve("plain.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).noneMatch(l -> l.contains("check") || l.contains("inter"));
    }
}
