package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void portAloneListensEverywhere() {
        assertThat(Address.parseListen("8080", "tcp")).isEqualTo(Address.of(null, 8080));
    }

    @Test
    void lastColonSplitsSoUnbracketedIpv6Works() {
        assertThat(Address.parseListen("::1:8080", "tcp")).isEqualTo(Address.of("::1", 8080));
        assertThat(Address.parseListen(":::8080", "tcp")).isEqualTo(Address.of("::", 8080));
    }

    @Test
    void bracketsAreAcceptedToo() {
        assertThat(Address.parseListen("[::1]:8080", "tcp")).isEqualTo(Address.of("::1", 8080));
    }

    @Test
    void serviceNameIsAPort() {
        assertThat(Address.parseListen("127.0.0.1:pop3", "tcp")).isEqualTo(Address.of("127.0.0.1", 110));
    }

    @Test
    void slashMakesAUnixSocket() {
        assertThat(Address.parseListen("/tmp/pen.sock", "tcp").isUnix()).isTrue();
    }

    @Test
    void outOfRangePortIsRejected() {
        assertThatThrownBy(() -> Address.parseListen("99999", "tcp"))
                .hasMessage("unexpected port: 99999 (expected 1..65535)");
    }
}
