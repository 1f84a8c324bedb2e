package dev.pen.logtools.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

/** webresolve's command line, read by the shared getopt: letters and long options in any order. */
class WebresolveSettingsTest {

    @Test
    void longOptionsTakeTheirValueAfterAnEqualsSignOrInTheNextWord() {
        Webresolve.Settings s = Webresolve.Settings.parse(new String[] {"--parallel=8", "access_log", "--timeout", "0.5"});

        assertThat(s.parallel).isEqualTo(8);
        assertThat(s.timeoutMillis).isEqualTo(500);
        assertThat(s.files).containsExactly("access_log");
    }

    @Test
    void lettersMayBeClusteredWithTheirArgumentAttached() {
        Webresolve.Settings s = Webresolve.Settings.parse(new String[] {"-csstats", "access_log"});

        assertThat(s.confirm).isTrue();
        assertThat(s.statistics).isEqualTo("stats");
    }

    @Test
    void dnsServerIsHostPortBracketedOrBareIpv6WithPort53ByDefault() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        assertThat(Webresolve.Settings.server("127.0.0.1:5353"))
            .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5353));
        assertThat(Webresolve.Settings.server("[::1]:5353")).isEqualTo(new InetSocketAddress(loopback6, 5353));
        assertThat(Webresolve.Settings.server("::1")).isEqualTo(new InetSocketAddress(loopback6, 53));
        assertThat(Webresolve.Settings.server("127.0.0.1").getPort()).isEqualTo(53);
    }

    @Test
    void badDnsServerIsOneLineNamingIt() {
        assertThatThrownBy(() -> Webresolve.Settings.server("[::1"))
            .hasMessage("bad --dns '[::1' (expected HOST[:PORT])");
        assertThatThrownBy(() -> Webresolve.Settings.server("127.0.0.1:0"))
            .hasMessage("bad --dns port '0' (expected a port, 1..65535)");
    }

    @Test
    void longOptionWithoutItsValueIsNamed() {
        assertThatThrownBy(() -> Webresolve.Settings.parse(new String[] {"--dns"})).hasMessage("missing value for --dns");
    }
}
