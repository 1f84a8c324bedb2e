package dev.pen.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * pen's usage text, printed on stdout when there is nothing to run, an option is bad or {@code --help} asks for it:
 * pen's own text, with a line for each of the {@link LongOptions long options}.
 */
public final class Usage {
    private Usage() {
    }

    /** Where the long options' lines go in usage.txt. */
    private static final String LONG_OPTIONS = "{long options}\n";

    /** The text, with its final empty line. */
    public static String text() {
        try (InputStream in = Usage.class.getResourceAsStream("usage.txt")) {
            if (in == null) {
                throw new IllegalStateException("usage.txt missing from the launcher jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace(LONG_OPTIONS, LongOptions.usageLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
