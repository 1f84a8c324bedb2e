package dev.pen.launcher.control;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A coverage-guided fuzz target for the penctl language (control port, {@code -o}, {@code -F} files): any line
 * gets a reply and never an exception, and the configuration it leaves is a valid one. {@code mvn verify} replays
 * the inputs kept under {@code src/test/resources/.../PenctlLanguageFuzzTestInputs}.
 */
class PenctlLanguageFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void commandLines(FuzzedDataProvider data) {
        FakeHost host = new FakeHost();
        Interpreter pen = new Interpreter(host, new Settings(), reply -> { });
        for (int i = 0; i < 4 && data.remainingBytes() > 0; i++) {
            String line = data.consumeString(200);
            String[] words = Words.split(line.split("[\r\n]", 2)[0]);
            if (words.length > 0 && words[0].equals("write")) {
                continue; // it would leave files wherever the fuzzer runs; BoundedCommandsTest covers write
            }
            String reply = pen.execute(line);
            if (reply.length() > replyBound(host.config)) {
                throw new AssertionError("a reply of " + reply.length() + " characters for " + host.config
                        .backendSlots() + " server slots");
            }
        }
        if (!host.config.toBuilder().build().equals(host.config)) {
            throw new AssertionError("the configuration does not copy to itself: " + host.config);
        }
    }

    /**
     * The longest reply a command may give: a line per server slot (the table grows to {@code server N}'s number,
     * at most {@link dev.pen.api.BalancerConfig#MAX_SLOTS}) of at most {@link #MAX_LINE} characters, plus 64 KiB
     * for everything else.
     */
    static int replyBound(dev.pen.api.BalancerConfig config) {
        return (config.backendSlots() + 1) * MAX_LINE + (1 << 16);
    }

    /** The longest {@code servers} line: pen's fields with every number at its widest, and the extra pairs. */
    static final int MAX_LINE = 512;
}
