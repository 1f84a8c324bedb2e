package dev.pen.logtools.mergelogs;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The log line readers as properties: any text is a value or "not such a line", and times print and read back. */
class LogLinePropertiesTest {

    @Provide
    Arbitrary<String> logLike() {
        return Arbitraries.strings().withChars("0123456789 -[]\"/:+.abcJanFebDecGET\t\u00e9").ofMaxLength(120);
    }

    @Property(tries = 3000)
    void aWebLineIsCutOrRefusedNeverThrown(@ForAll("logLike") String line) {
        WebLogLine parsed = WebLogLine.parse(line);
        if (parsed != null) {
            assertThat(WebLogLine.parse(parsed.format(parsed.client()))).isNotNull();
        }
    }

    @Property(tries = 3000)
    void aPenLogLineIsReadOrRefusedNeverThrown(@ForAll("logLike") String line) {
        try {
            PenLogParser.parse(line);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void aTimePrintedAsMergelogsPrintsItReadsBackTheSame(@ForAll("seconds") long epochSecond) {
        assertThat(WebTime.parse(WebTime.format(epochSecond))).isEqualTo(epochSecond);
    }

    @Provide
    Arbitrary<Long> seconds() {
        return Arbitraries.longs().between(-2_000_000_000L, 32_000_000_000L);
    }
}
