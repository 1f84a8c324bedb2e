package dev.pen.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --dns-refresh, --srv, --dns-server and --servers-file on the command line. */
class DiscoveryOptionsTest {

    private static Options parse(String... args) throws CommandLineException {
        return OptionParser.parse(List.of(args));
    }

    @Test
    void allAreReadAndListedInTheUsageText() throws Exception {
        Options o = parse("--dns-refresh", "--srv", "_http._tcp.web.test", "--srv=_b._tcp.test.",
                "--dns-server", "127.0.0.1:5353", "--servers-file=/etc/pen/servers", "8080", "web.test:80");
        assertThat(o.discovery.dnsRefresh()).isTrue();
        assertThat(o.discovery.srv()).containsExactly("_http._tcp.web.test", "_b._tcp.test");
        assertThat(o.discovery.dnsServer()).isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
        assertThat(o.discovery.serversFile()).isEqualTo(Path.of("/etc/pen/servers"));
        assertThat(parse("8080").discovery.any()).isFalse();
        assertThat(parse("--dns-server=::1", "8080").discovery.dnsServer()).isEqualTo(new InetSocketAddress("::1", 53));
        assertThat(parse("--dns-server=[::1]:54", "8080").discovery.dnsServer())
                .isEqualTo(new InetSocketAddress("::1", 54));
        assertThat(Usage.text()).contains("--dns-refresh").contains("--srv NAME").contains("--dns-server IP[:PORT]")
                .contains("--servers-file PATH");
    }

    @Test
    void aDnsServerByNameOrWithABadPortIsOneLine() {
        for (String bad : List.of("dns.example.com", "127.0.0.1:0", "127.0.0.1:99999", "127.0.0.1:x", "[::1")) {
            assertThatThrownBy(() -> parse("--dns-server", bad, "8080")).isInstanceOf(CommandLineException.class)
                    .hasMessage("pen: --dns-server: unexpected value '" + bad
                            + "' (expected IP[:PORT] or [IPv6]:PORT, such as 127.0.0.1:5353)");
        }
    }

    @Test
    void aBadSrvNameIsOneLineAndTheirNumberIsBounded() throws Exception {
        assertThatThrownBy(() -> parse("--srv", "a..b", "8080"))
                .hasMessage("pen: --srv: unexpected name 'a..b' (expected a DNS name such as _http._tcp.example.com)");
        String[] many = new String[2 * 17 + 1];
        for (int i = 0; i < 17; i++) {
            many[2 * i] = "--srv";
            many[2 * i + 1] = "_s" + i + "._tcp.test";
        }
        many[34] = "8080";
        assertThatThrownBy(() -> parse(many)).hasMessage("pen: --srv: more than 16 names (expected at most 16)");
    }
}
