package dev.pen.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.Network;
import dev.pen.api.ProxyProtocol;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --proxy-protocol and --accept-proxy on the command line. */
class ProxyOptionsTest {

    private static Options parse(String... args) throws CommandLineException {
        return OptionParser.parse(List.of(args));
    }

    @Test
    void bothAreReadAndListedInTheUsageText() throws Exception {
        Options o = parse("--proxy-protocol", "v2", "--accept-proxy=10.0.0.0/8,2001:db8::/32", "8080", "h:80");
        assertThat(o.proxyProtocol).isEqualTo(ProxyProtocol.V2);
        assertThat(o.acceptProxy).containsExactly(Network.parse("10.0.0.0/8"), Network.parse("2001:db8::/32"));
        assertThat(parse("8080").proxyProtocol).isNull();
        assertThat(parse("8080").acceptProxy).isEmpty();
        assertThat(Usage.text()).contains("--proxy-protocol v1|v2").contains("--accept-proxy NETWORK[,...]");
    }

    @Test
    void aBadVersionIsOneLineNamingTheOptionAndTheValue() {
        assertThatThrownBy(() -> parse("--proxy-protocol=v3", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("pen: --proxy-protocol: unexpected PROXY protocol version"
                            + " 'v3' (expected v1, v2 or off)");
                    assertThat(e.status()).isEqualTo(1);
                });
    }

    @Test
    void aBadNetworkIsOneLineNamingTheOptionAndTheNetwork() {
        assertThatThrownBy(() -> parse("--accept-proxy=10.0.0.0/8,lb.example.com", "8080"))
                .isInstanceOfSatisfying(CommandLineException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("pen: --accept-proxy: bad network 'lb.example.com'"
                            + " (expected an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32)");
                    assertThat(e.status()).isEqualTo(1);
                });
    }
}
