package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PROXY protocol's settings: versions, trusted networks, and which header a server's connections get. */
class ProxySettingsTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void versionsReadAndWriteAsTheirText() {
        for (ProxyProtocol v : ProxyProtocol.values()) {
            assertThat(ProxyProtocol.parse(v.toString())).isEqualTo(v);
        }
        assertThatThrownBy(() -> ProxyProtocol.parse("v3")).hasMessage(
                "unexpected PROXY protocol version 'v3' (expected v1, v2 or off)");
    }

    @Test
    void aNetworkContainsTheAddressesOfItsPrefixAndFamilyOnly() throws Exception {
        Network ten = Network.parse("10.0.0.0/8");
        assertThat(ten.contains(ip("10.255.1.2"))).isTrue();
        assertThat(ten.contains(ip("11.0.0.1"))).isFalse();
        assertThat(ten.contains(ip("::a00:1"))).isFalse();
        assertThat(ten.contains(null)).isFalse();
        Network doc = Network.parse("2001:db8::/32");
        assertThat(doc.contains(ip("2001:db8:1::5"))).isTrue();
        assertThat(doc.contains(ip("2001:db9::5"))).isFalse();
        assertThat(Network.parse("127.0.0.2").contains(ip("127.0.0.2"))).isTrue();
        assertThat(Network.parse("127.0.0.2").contains(ip("127.0.0.3"))).isFalse();
        assertThat(Network.parse("0.0.0.0/0").contains(ip("192.0.2.1"))).isTrue();
        assertThat(Network.parse("10.1.0.0/17").toString()).isEqualTo("10.1.0.0/17");
    }

    @Test
    void aBadNetworkIsNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> Network.parse("lb.example.com")).hasMessage("bad network 'lb.example.com'"
                + " (expected an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32)");
        assertThatThrownBy(() -> Network.parse("10.0.0.0/33")).hasMessage(
                "bad network '10.0.0.0/33': prefix length 33 (expected 0..32)");
        assertThatThrownBy(() -> Network.parse("10.0.0.1/8")).hasMessage("bad network '10.0.0.1/8': network"
                + " 10.0.0.1/8 has host bits set (expected 10.0.0.0/8)");
        assertThatThrownBy(() -> Network.parse("300.0.0.0/8")).hasMessageStartingWith("bad network '300.0.0.0/8'");
        assertThatThrownBy(() -> Network.parse("10.0.0.0/")).hasMessageStartingWith("bad network '10.0.0.0/'");
        assertThatThrownBy(() -> Network.parseList("10.0.0.0/8,,::1")).hasMessageStartingWith(
                "bad network list '10.0.0.0/8,,::1': an empty entry");
        assertThat(Network.parseList("10.0.0.0/8,::1")).hasSize(2);
    }

    @Test
    void aServersOwnVersionWinsOverTheBalancers() {
        ProxySettings v1 = ProxySettings.NONE.withSend(ProxyProtocol.V1);
        Backend plain = Backend.of("10.0.0.1", 80);
        assertThat(v1.sendTo(plain)).isEqualTo(ProxyProtocol.V1);
        assertThat(v1.sendTo(plain.withProxyProtocol(ProxyProtocol.OFF))).isEqualTo(ProxyProtocol.OFF);
        assertThat(ProxySettings.NONE.sendTo(plain.withProxyProtocol(ProxyProtocol.V2))).isEqualTo(ProxyProtocol.V2);
        assertThat(plain.withProxyProtocol(ProxyProtocol.V2).withAddress(Address.of("10.0.0.2", 80))
                .proxyProtocol()).contains(ProxyProtocol.V2);
    }

    @Test
    void udpRefusesPROXYHeaders() {
        BalancerConfig.Builder udp = BalancerConfig.builder().listen("127.0.0.1:5300").udp(true);
        assertThatThrownBy(() -> udp.proxy(ProxySettings.NONE.withSend(ProxyProtocol.V2)).build())
                .hasMessage("PROXY protocol with UDP (expected one of them: PROXY headers are sent and read on TCP"
                        + " connections only)");
        assertThatThrownBy(() -> BalancerConfig.builder().listen("127.0.0.1:5300").udp(true)
                .backend(Backend.of("10.0.0.1", 53).withProxyProtocol(ProxyProtocol.V1)).build())
                .hasMessageStartingWith("PROXY protocol with UDP");
        assertThat(BalancerConfig.builder().listen("127.0.0.1:5300").udp(true)
                .proxy(new ProxySettings(ProxyProtocol.OFF, List.of())).build().proxy()).isEqualTo(ProxySettings.NONE);
    }
}
