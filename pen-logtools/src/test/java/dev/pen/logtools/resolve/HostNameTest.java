package dev.pen.logtools.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a reverse zone may answer: a host name, or it counts as no name (a hostile zone cannot forge lines). */
class HostNameTest {

    @Test
    void hostNamesPass() {
        assertThat(ReverseResolver.isHostName("www.example.com")).isTrue();
        assertThat(ReverseResolver.isHostName("a-1.b_2.c")).isTrue();
        assertThat(ReverseResolver.isHostName("x".repeat(63) + ".com")).isTrue();
    }

    @Test
    void namesThatCouldForgeOrBreakALogLineDoNot() {
        assertThat(ReverseResolver.isHostName("evil.com\n10.0.0.1 - - forged")).isFalse();
        assertThat(ReverseResolver.isHostName("with space.com")).isFalse();
        assertThat(ReverseResolver.isHostName("quote\".com")).isFalse();
        assertThat(ReverseResolver.isHostName("ünicode.com")).isFalse();
        assertThat(ReverseResolver.isHostName("")).isFalse();
        assertThat(ReverseResolver.isHostName("a..b")).isFalse();
        assertThat(ReverseResolver.isHostName(".a")).isFalse();
        assertThat(ReverseResolver.isHostName("x".repeat(64) + ".com")).isFalse();
        assertThat(ReverseResolver.isHostName(("abc.").repeat(64) + "com")).isFalse();
    }
}
