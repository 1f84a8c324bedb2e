package dev.pen.logtools.penlogd;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** pen's network log entries as a property: any datagram is split in three or refused, never thrown. */
class PenEntryPropertiesTest {

    @Property(tries = 3000)
    void aPenNetworkEntryIsSplitOrRefusedNeverThrown(@ForAll @StringLength(max = 120) String tail) {
        String[] fields = Penlogd.splitPenEntry("+" + tail);
        // A datagram of more than one line never reaches the splitter.
        if (fields != null && Penlogd.oneLine("+" + tail)) {
            assertThat(fields).hasSize(3).allSatisfy(f -> assertThat(f).isNotEmpty().doesNotContain("\n"));
        }
    }

    @Property(tries = 3000)
    void aDatagramIsOneLineOnlyWhenNoNewlineComesBeforeItsEnd(@ForAll @StringLength(max = 60) String text) {
        if (Penlogd.oneLine(text)) {
            assertThat(text.stripTrailing().replace("\r\n", "")).doesNotContain("\n");
            assertThat(text.indexOf('\n')).isIn(-1, text.length() - 1);
        }
    }
}
