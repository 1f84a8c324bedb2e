package dev.pen.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code strategy} command: its replies, its refusals, and {@code write} with {@code -F} keeping it. */
class StrategyCommandTest {
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
    }

    @Test
    void strategyAnswersPenUntilMaglevIsSetAndThenMaglev() {
        assertThat(pen.execute("strategy")).isEqualTo("pen\n");
        assertThat(pen.execute("strategy maglev")).isEqualTo("maglev\n");
        assertThat(host.config.strategy()).isEqualTo(Strategy.maglev());
        assertThat(pen.execute("strategy")).isEqualTo("maglev\n");
        assertThat(pen.execute("strategy maglev 251")).isEqualTo("maglev 251\n");
        assertThat(host.config.strategy()).isEqualTo(Strategy.maglev(251));
        assertThat(pen.execute("strategy pen")).isEqualTo("pen\n");
        assertThat(host.config.strategy()).isEqualTo(Strategy.penModes());
    }

    @Test
    void pensModeWordsKeepTheirMeaningBesideTheStrategy() {
        pen.execute("strategy maglev");
        assertThat(pen.execute("hash")).isEmpty();
        assertThat(pen.execute("mode")).isEqualTo("hash no roundrobin no stubborn no weight no prio\n");
        assertThat(pen.execute("strategy")).isEqualTo("maglev\n");
    }

    @Test
    void aBadStrategyGetsOneLineAndChangesNothing() {
        pen.execute("strategy maglev 251");
        BalancerConfig before = host.config;
        for (String bad : List.of("strategy ring", "strategy maglev 65536", "strategy maglev 250",
                "strategy maglev 1000033", "strategy maglev x", "strategy pen 251", "strategy maglev 251 7")) {
            assertThat(pen.execute(bad)).as(bad).hasLineCount(1).startsWith("strategy: ");
            assertThat(host.config).as(bad).isSameAs(before);
        }
        assertThat(pen.execute("strategy maglev 65536")).isEqualTo(
                "strategy: unexpected Maglev table size: 65536 (expected a prime from 251 to 1000003)\n");
        assertThat(pen.execute("strategy ring")).isEqualTo(
                "strategy: unexpected strategy 'ring' (expected pen or maglev)\n");
    }

    @Test
    void writtenStrategyReadsBackToTheSameState() throws IOException {
        for (String strategy : List.of("maglev", "maglev 1000003")) {
            pen.execute("strategy " + strategy);
            Path file = dir.resolve("pen.cfg");
            assertThat(pen.execute("write " + file)).isEmpty();
            assertThat(Files.readAllLines(file)).contains("strategy " + strategy);

            FakeHost other = new FakeHost();
            new Interpreter(other, new Settings(), r -> { }).executeFile(file);
            assertThat(other.config.strategy()).isEqualTo(host.config.strategy());
        }
    }

    @Test
    void writeOfPensStrategyHasNoStrategyLine() throws IOException {
        Path file = dir.resolve("plain.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).noneMatch(l -> l.startsWith("strategy"));
    }
}
