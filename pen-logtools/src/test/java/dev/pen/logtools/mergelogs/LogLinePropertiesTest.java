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

    /** Every field at any width the reader takes, so carries past either end of the years it prints are tried. */
    @Property(tries = 3000)
    void aTimeReadIsRefusedOrPrintsAsATimeThatReadsBackTheSame(@ForAll("fieldsAtAnyWidth") String time) {
        long epochSecond = WebTime.parse(time);
        if (epochSecond != WebTime.INVALID) {
            assertThat(WebTime.parse(WebTime.format(epochSecond))).as(time).isEqualTo(epochSecond);
        }
    }

    @Provide
    Arbitrary<String> fieldsAtAnyWidth() {
        Arbitrary<Long> field = Arbitraries.oneOf(Arbitraries.longs().between(0, 99),
            Arbitraries.longs().between(0, 999_999_999L));
        Arbitrary<String> zone = Arbitraries.of("", " +0000", " -1200", " +9959", " -9959");
        return net.jqwik.api.Combinators.combine(field, Arbitraries.of("Jan", "Feb", "Dec"), field,
                Arbitraries.longs().between(0, 999_999), field, field, zone)
            .as((day, month, year, hour, minute, second, offset) ->
                day + "/" + month + "/" + year + ":" + hour + ":" + minute + ":" + second + offset);
    }

    @Provide
    Arbitrary<Long> seconds() {
        return Arbitraries.longs().between(-2_000_000_000L, 32_000_000_000L);
    }
}
