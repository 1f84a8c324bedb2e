package dev.pen.launcher.log;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Outputs that stand still, made with real programs: a FIFO nobody reads. */
final class StalledOutputs {
    private StalledOutputs() {
    }

    /** Makes a FIFO at {@code path} with mkfifo; skips the test without it (fails under CI=true). */
    static Path fifo(Path path) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("mkfifo is not installed (CI=true: the test cannot be skipped)");
            }
            Assumptions.abort("mkfifo is not installed");
            throw e;
        }
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("mkfifo " + path + " failed");
        }
        return path;
    }
}
