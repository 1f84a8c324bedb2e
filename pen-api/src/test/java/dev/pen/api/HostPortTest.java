package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void listenFormReadsALoneWordAsAPort() {
        assertThat(HostPort.parse("8080")).isEqualTo(new HostPort(null, "8080"));
    }

    @Test
    void listenFormSplitsAtTheLastColon() {
        assertThat(HostPort.parse("::1:8080")).isEqualTo(new HostPort("::1", "8080"));
        assertThat(HostPort.parse("loghost:10000")).isEqualTo(new HostPort("loghost", "10000"));
    }

    @Test
    void listenFormKeepsAnEmptyHostApartFromNone() {
        assertThat(HostPort.parse(":8080")).isEqualTo(new HostPort("", "8080"));
    }

    @Test
    void listenFormTakesBracketsAndNeedsAPortAfterThem() {
        assertThat(HostPort.parse("[::1]:8080")).isEqualTo(new HostPort("::1", "8080"));
        assertThatThrownBy(() -> HostPort.parse("[::1]"))
                .isInstanceOf(HostPort.Malformed.class)
                .hasMessage("bad address '[::1]' (expected [ipv6]:port)");
        assertThatThrownBy(() -> HostPort.parse("[::1:80")).isInstanceOf(HostPort.Malformed.class);
    }

    @Test
    void connectFormReadsALoneWordAsAHostWithTheDefaultPort() {
        assertThat(HostPort.parse("ns1", "53")).isEqualTo(new HostPort("ns1", "53"));
        assertThat(HostPort.parse("[::1]", "53")).isEqualTo(new HostPort("::1", "53"));
        assertThat(HostPort.parse("ns1", null)).isEqualTo(new HostPort("ns1", null));
    }

    @Test
    void connectFormSplitsAtTheFirstColonLeavingTheRestToTheCaller() {
        assertThat(HostPort.parse("h:80:3:4", null)).isEqualTo(new HostPort("h", "80:3:4"));
        assertThat(HostPort.parse("[::1]:80:3", null)).isEqualTo(new HostPort("::1", "80:3"));
    }

    @Test
    void connectFormNamesWhatIsWrongAfterTheBracket() {
        assertThatThrownBy(() -> HostPort.parse("[::1]x", "53"))
                .isInstanceOfSatisfying(HostPort.Malformed.class, e -> assertThat(e.expected()).isEqualTo("':' after ']'"));
        assertThatThrownBy(() -> HostPort.parse("[::1", "53"))
                .isInstanceOfSatisfying(HostPort.Malformed.class, e -> assertThat(e.expected()).isEqualTo("[ipv6]:port"));
    }

    @Test
    void aSlashMakesAPath() {
        assertThat(HostPort.isPath("/run/pen.sock")).isTrue();
        assertThat(HostPort.isPath("run/pen.sock")).isTrue();
        assertThat(HostPort.isPath("host:80")).isFalse();
    }

    @Test
    void textReadsBackToTheSameValue() {
        for (String text : new String[] {"8080", "h:80", "[::1]:80", ":80"}) {
            assertThat(HostPort.parse(text).toString()).isEqualTo(text);
        }
    }

    @Test
    void dottedQuadIsAnIpv4Literal() throws Exception {
        assertThat(HostPort.ipLiteral("10.0.0.1")).contains(InetAddress.getByName("10.0.0.1"));
        assertThat(HostPort.ipLiteral("010.0.0.1")).contains(InetAddress.getByName("10.0.0.1"));
    }

    @Test
    void ipv6IsALiteralWithOrWithoutBrackets() throws Exception {
        assertThat(HostPort.ipLiteral("::1")).contains(InetAddress.getByName("::1"));
        assertThat(HostPort.ipLiteral("[fe80::1]")).contains(InetAddress.getByName("fe80::1"));
    }

    @Test
    void namesShortFormsAndZonesAreNotLiterals() {
        for (String text : new String[] {"localhost", "10.0.0", "10.0.0.256", "1.2.3.4.5", "10..0.1", "", "::g",
            "fe80::1%lo", ".::1", "a:b", "[::1", "deadbeef"}) {
            assertThat(HostPort.ipLiteral(text)).as(text).isEmpty();
        }
    }
}
