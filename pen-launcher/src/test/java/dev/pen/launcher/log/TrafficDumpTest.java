package dev.pen.launcher.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** pen's dump lines, as Debian's pen 0.34.1 printed them at -d -d -d for the same bytes. */
class TrafficDumpTest {
    private static final byte[] REQUEST = "GET /x\u0001\u007f\u00e9 HTTP/1.0\r\nHost: y\tz\r\n\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] RESPONSE = "HTTP/1.0 200 OK\r\n\r\nhi\u0000\u0001\u00ff"
            .getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void hexDumpIsTheCountThenEachByteInLowerCaseHexFollowedByASpace() {
        assertThat(TrafficDump.format(REQUEST, false)).isEqualTo("33: 47 45 54 20 2f 78 01 7f e9 20 48 54 54 50 2f 31 "
                + "2e 30 0d 0a 48 6f 73 74 3a 20 79 09 7a 0d 0a 0d 0a ");
        assertThat(TrafficDump.format(RESPONSE, false))
                .isEqualTo("24: 48 54 54 50 2f 31 2e 30 20 32 30 30 20 4f 4b 0d 0a 0d 0a 68 69 00 01 ff ");
    }

    @Test
    void asciiDumpShowsPrintableBytesAndWhiteSpaceAsTheyAreAndOthersAsDots() {
        assertThat(TrafficDump.format(REQUEST, true)).isEqualTo("33: GET /x... HTTP/1.0\r\nHost: y\tz\r\n\r\n");
        assertThat(TrafficDump.format(RESPONSE, true)).isEqualTo("24: HTTP/1.0 200 OK\r\n\r\nhi...");
    }

    @Test
    void dumpsAreWantedOnlyFromDebugLevelThree() {
        AtomicInteger level = new AtomicInteger(2);
        TrafficDump dump = new TrafficDump(new Diagnostics(level::get,
                new PrintStream(OutputStream.nullOutputStream())), () -> false);
        assertThat(dump.mayWantRelayedBytes()).isTrue();
        assertThat(dump.wantsRelayedBytes()).isFalse();
        level.set(3);
        assertThat(dump.wantsRelayedBytes()).isTrue();
    }
}
