package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings of http mode, TLS and UDP: defaults, pen's protocol names, and the one-line errors. */
class ProtocolModeSettingsTest {
    private static final Path CERT = Path.of("/etc/pen/cert.pem");

    @Test
    void modesAreOffByDefaultAndUdpSessionsIdleOutAfterAMinute() {
        BalancerConfig c = BalancerConfig.builder().listen("8080").build();
        assertThat(c.http()).isFalse();
        assertThat(c.tls()).isNull();
        assertThat(c.udp()).isFalse();
        assertThat(c.udpIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void keyDefaultsToTheCertificateFile() {
        assertThat(TlsSettings.of(CERT).keyFile()).isEqualTo(CERT);
        assertThat(TlsSettings.of(CERT).withKey(Path.of("k.pem")).keyFile()).isEqualTo(Path.of("k.pem"));
    }

    @Test
    void everyPenProtocolNameGivesTls12AndUp() {
        for (String name : List.of("ssl23", "ssl2", "ssl3", "tls1", "TLS1")) {
            assertThat(TlsSettings.of(CERT).withProtocol(name).protocols()).as(name)
                    .containsExactly("TLSv1.2", "TLSv1.3");
        }
        assertThat(TlsSettings.of(CERT).withProtocol("tls1.3").protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void sslProtocolsWarnThatTls12IsTheFloor() {
        assertThat(TlsSettings.of(CERT).withProtocol("ssl3").protocolWarning())
                .hasValue("protocol ssl3 is not offered: TLS 1.2 is the floor used instead");
        assertThat(TlsSettings.of(CERT).withProtocol("tls1").protocolWarning()).isEmpty();
    }

    @Test
    void unknownProtocolIsRejectedNamingIt() {
        assertThatThrownBy(() -> TlsSettings.of(CERT).withProtocol("tls9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("protocol version tls9 not known (expected ssl23, ssl2, ssl3, tls1, tls1.1, tls1.2 or "
                        + "tls1.3)");
    }

    @Test
    void tlsWithUdpIsRejected() {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("53").udp(true).tls(TlsSettings.of(CERT));
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TLS with UDP (expected one of them: TLS terminates TCP only)");
    }

    @Test
    void udpOnAUnixSocketIsRejected() {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("/run/pen.sock").udp(true);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("UDP on Unix socket /run/pen.sock");
    }

    @Test
    void negativeUdpIdleTimeoutIsRejected() {
        assertThatThrownBy(() -> BalancerConfig.builder().udpIdleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected UDP idle timeout: -1000 ms (expected 0 for never, or more)");
    }

    @Test
    void timeoutsDefaultToPensIdleAndOurFirstByteAndHandshakeLimits() {
        BalancerConfig c = BalancerConfig.builder().listen("80").build();
        assertThat(c.idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(c.firstByteTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        BalancerConfig changed = c.toBuilder().idleTimeout(Duration.ofMillis(1500)).build();
        assertThat(changed).isNotEqualTo(c);
        assertThat(changed.toBuilder().build()).isEqualTo(changed);
    }

    @Test
    void negativeIdleTimeoutIsRejected() {
        assertThatThrownBy(() -> BalancerConfig.builder().idleTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected idle timeout: -5 ms (expected 0 for never, or more)");
    }

    @Test
    void zeroHandshakeTimeoutIsRejected() {
        assertThatThrownBy(() -> BalancerConfig.builder().handshakeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected handshake timeout: 0 ms (expected more than 0)");
    }
}
