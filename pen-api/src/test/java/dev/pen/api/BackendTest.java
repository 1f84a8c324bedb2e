package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BackendTest {

    @Test
    void fullSpecIsParsedField_by_field() {
        Backend b = Backend.parse("10.0.0.1:8081:3:4:5:6", 80);
        assertThat(b.address()).isEqualTo(Address.of("10.0.0.1", 8081));
        assertThat(b.maxConnections()).isEqualTo(3);
        assertThat(b.hardMaxConnections()).isEqualTo(4);
        assertThat(b.weight()).isEqualTo(OptionalInt.of(5));
        assertThat(b.priority()).isEqualTo(6);
    }

    @Test
    void missingPortIsTheListenPort() {
        assertThat(Backend.parse("host1", 8080).address()).isEqualTo(Address.of("host1", 8080));
    }

    @Test
    void serviceNamesAreAcceptedAsPorts() {
        assertThat(Backend.parse("mailhost1:smtp", 25).address().port()).isEqualTo(25);
        assertThat(Backend.parse("otherhost:pop3", 1).address().port()).isEqualTo(110);
    }

    @Test
    void bracketedIpv6HostIsParsed() {
        Backend b = Backend.parse("[::1]:8081:2", 80);
        assertThat(b.address()).isEqualTo(Address.of("::1", 8081));
        assertThat(b.maxConnections()).isEqualTo(2);
        assertThat(b.toString()).isEqualTo("[::1]:8081:2");
    }

    @Test
    void pathIsAUnixSocket() {
        assertThat(Backend.parse("/run/app.sock", 80).address()).isEqualTo(Address.unix("/run/app.sock"));
    }

    @Test
    void textReadsBackToTheSameValue() {
        for (String spec : new String[] {"h:80", "h:80:3", "h:80:3:4", "h:80:0:0:7", "h:80:1:2:3:4", "h:80:0:0:0"}) {
            Backend b = Backend.parse(spec, 1);
            assertThat(Backend.parse(b.toString(), 1)).as(spec).isEqualTo(b);
        }
    }

    @Test
    void absentWeightCountsAsOneAndExplicitZeroStaysZero() {
        assertThat(Backend.parse("h:80", 1).effectiveWeight()).isEqualTo(1);
        assertThat(Backend.parse("h:80:0:0:0", 1).effectiveWeight()).isZero();
    }

    @Test
    void badSpecsAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> Backend.parse("h:70000", 80)).hasMessage("unexpected port: 70000 (expected 1..65535)");
        assertThatThrownBy(() -> Backend.parse("h:80:x", 80))
                .hasMessage("unexpected maxc 'x' in server spec 'h:80:x' (expected a number)");
        assertThatThrownBy(() -> Backend.parse("h:80:-1", 80)).hasMessageContaining("unexpected maxc: -1");
        assertThatThrownBy(() -> Backend.parse("h:nosuchservice", 80))
                .hasMessageContaining("unknown port or service 'nosuchservice'");
        assertThatThrownBy(() -> Backend.parse("::1:80", 80)).hasMessageContaining("needs brackets");
        assertThatThrownBy(() -> Backend.parse("", 80)).hasMessageContaining("empty server spec");
    }

    @Test
    void aPriorityWithoutAWeightReadsBackWithoutAWeight() {
        Backend b = new Backend(Address.of("a", 80), 0, 0, OptionalInt.empty(), 3, 0);
        assertThat(b.toString()).isEqualTo("a:80:0:0::3");
        assertThat(Backend.parse(b.toString(), 80)).isEqualTo(b);
    }
}
