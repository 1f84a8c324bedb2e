package dev.pen.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ProxyProtocol;
import dev.pen.api.ProxySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server N proxy v1|v2|off}: set, shown by {@code servers} only when in use, written and read back. */
class ProxyCommandsTest {
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
    }

    @Test
    void aServersVersionIsSetAndShownAfterPensFields() {
        assertThat(pen.execute("server 1 proxy v2")).isEmpty();
        assertThat(host.config.backend(1).orElseThrow().proxyProtocol()).contains(ProxyProtocol.V2);
        assertThat(pen.execute("servers")).isEqualTo(
                "0 addr 127.0.0.1 port 18081 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n"
                        + "1 addr 127.0.0.1 port 18082 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0 proxy v2\n");
    }

    @Test
    void theBalancersVersionShowsOnEveryServerWithoutOneOfItsOwn() {
        host.config = host.config.toBuilder().proxy(ProxySettings.NONE.withSend(ProxyProtocol.V1)).build();
        pen.execute("server 0 proxy off");
        assertThat(pen.execute("servers")).contains("18081 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0 proxy off\n",
                "18082 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0 proxy v1\n");
    }

    @Test
    void otherKeywordsKeepTheServersVersion() {
        pen.execute("server 0 proxy v1");
        pen.execute("server 0 address 127.0.0.2 max 3");
        assertThat(host.config.backend(0).orElseThrow().proxyProtocol()).contains(ProxyProtocol.V1);
    }

    @Test
    void aBadVersionGetsOneLineAndChangesNothing() {
        BalancerConfig before = host.config;
        assertThat(pen.execute("server 0 proxy v3 max 4")).isEqualTo(
                "server proxy: unexpected PROXY protocol version 'v3' (expected v1, v2 or off)\n");
        assertThat(pen.execute("server 0 proxy")).isEqualTo("server: proxy without a value\n");
        assertThat(host.config).isEqualTo(before);
    }

    @Test
    void aVersionIsWrittenOnlyWhereInUseAndReadsBack() throws IOException {
        Path pens = dir.resolve("pens.cfg");
        pen.execute("write " + pens);
        assertThat(Files.readString(pens)).doesNotContain("proxy");
        pen.execute("server 1 proxy v2");
        Path file = dir.resolve("proxy.cfg");
        pen.execute("write " + file);
        assertThat(Files.readAllLines(file)).contains("server 1 acl 0 address 127.0.0.1 port 18082 max 0 hard 0 proxy v2");
        BalancerConfig written = host.config;
        host.config = host.config.toBuilder().backend(1, Backend.parse("127.0.0.1:18082", 80)).build();
        pen.executeFile(file);
        assertThat(host.config).isEqualTo(written);
    }
}
