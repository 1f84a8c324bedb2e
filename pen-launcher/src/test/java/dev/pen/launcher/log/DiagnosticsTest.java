package dev.pen.launcher.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosticsTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void closeReturnsPromptlyAndLinesAreCountedWhenSyslogsLoggerReadsNothing() throws Exception {
        Diagnostics diagnostics = new Diagnostics(() -> 0, QUIET);
        // A stand-in for logger that never reads its input: once the pipe is full, every write blocks.
        diagnostics.toSyslog(List.of("sleep", "60"));
        String text = "d".repeat(100);
        for (int i = 0; i < 12_000; i++) {
            diagnostics.debug(0, text);
        }
        assertThat(diagnostics.dropped()).isPositive();
        long start = System.nanoTime();
        diagnostics.close();
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(tookMillis).isLessThan(Diagnostics.CLOSE_WAIT_MILLIS + 500);
    }
}
