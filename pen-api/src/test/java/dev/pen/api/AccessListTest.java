package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AccessListTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void emptyListPermitsEveryone() throws Exception {
        assertThat(AccessList.empty().permits(ip("10.1.2.3"))).isTrue();
    }

    @Test
    void firstMatchDecidesAndNoMatchIsTheOppositeOfTheLastEntry() throws Exception {
        AccessList list = AccessList.empty()
                .with(AccessList.Entry.parse("deny", "10.0.0.1", null))
                .with(AccessList.Entry.parse("permit", "10.0.0.0", "255.255.255.0"));
        assertThat(list.permits(ip("10.0.0.1"))).isFalse();
        assertThat(list.permits(ip("10.0.0.2"))).isTrue();
        assertThat(list.permits(ip("10.0.1.2"))).isFalse();
    }

    @Test
    void entryWithHostBitsOutsideItsMaskMatchesNobody() throws Exception {
        AccessList list = AccessList.empty().with(AccessList.Entry.parse("permit", "127.0.0.5", "255.255.255.0"));
        assertThat(list.permits(ip("127.0.0.5"))).isFalse();
    }

    @Test
    void ipv6EntriesUsePrefixLengthsAndIgnoreIpv4Clients() throws Exception {
        AccessList list = AccessList.empty().with(AccessList.Entry.parse("deny", "fd00::/8", null));
        assertThat(list.permits(ip("fd12::1"))).isFalse();
        assertThat(list.permits(ip("2001:db8::1"))).isTrue();
        assertThat(list.permits(ip("10.0.0.1"))).isTrue();
        assertThat(list.entries().get(0).toString()).isEqualTo("deny fd00:0:0:0:0:0:0:0/8");
    }

    @Test
    void writtenFormIsPens() {
        assertThat(AccessList.Entry.parse("permit", "10.1", null).toString())
                .isEqualTo("permit 10.0.0.1 255.255.255.255");
    }

    @Test
    void bogusInputIsRejectedNamingIt() {
        assertThatThrownBy(() -> AccessList.Entry.parse("allow", "10.0.0.1", null))
                .hasMessage("acl: expected permit|deny, got 'allow'");
        assertThatThrownBy(() -> AccessList.Entry.parse("deny", "10.0.0.300", null))
                .hasMessageContaining("acl: bogus address '10.0.0.300'");
    }
}
