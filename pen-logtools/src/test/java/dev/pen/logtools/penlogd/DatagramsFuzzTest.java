package dev.pen.logtools.penlogd;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A coverage-guided fuzz target for penlogd's datagrams: a pen entry is split in three or refused, never thrown,
 * and what is split holds no line break. {@code mvn verify} replays the inputs kept under
 * {@code .../DatagramsFuzzTestInputs}.
 */
class DatagramsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void penEntry(FuzzedDataProvider data) {
        String datagram = "+" + data.consumeRemainingAsString();
        if (!Penlogd.oneLine(datagram)) {
            return;
        }
        String[] fields = Penlogd.splitPenEntry(datagram);
        if (fields != null) {
            for (String f : fields) {
                if (f.isEmpty() || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0 && !f.endsWith("\r")) {
                    throw new AssertionError("field '" + f + "' of " + datagram);
                }
            }
        }
    }
}
