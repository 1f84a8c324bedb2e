package dev.pen.logtools.mergelogs;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz targets for the log lines mergelogs reads: a web server's line and pen's, each cut or
 * refused, never thrown. {@code mvn verify} replays the inputs kept under {@code .../LogLinesFuzzTestInputs}.
 */
class LogLinesFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void webLine(FuzzedDataProvider data) {
        WebLogLine line = WebLogLine.parse(data.consumeRemainingAsString());
        if (line != null && WebLogLine.parse(line.format(line.client())) == null) {
            throw new AssertionError("does not read back: " + line);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void penLine(FuzzedDataProvider data) {
        try {
            PenLogParser.parse(data.consumeRemainingAsString());
        } catch (IllegalArgumentException expected) {
            // the reader's own error
        }
    }
}
