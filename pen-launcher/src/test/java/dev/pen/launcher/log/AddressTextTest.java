package dev.pen.launcher.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AddressTextTest {

    @Test
    void ipv4IsADottedQuadWithoutPort() throws Exception {
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080))).isEqualTo("127.0.0.1");
    }

    @Test
    void ipv6IsInItsShortestForm() throws Exception {
        assertThat(AddressText.of(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(AddressText.of(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(AddressText.of(InetAddress.getByName("fe80:0:0:0:0:0:0:0"))).isEqualTo("fe80::");
    }
}
