package dev.pen.launcher.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** pen's usage text, printed on stdout when there is nothing to run or an option is bad. */
public final class Usage {
    private Usage() {
    }

    /** The text, with its final empty line. */
    public static String text() {
        try (InputStream in = Usage.class.getResourceAsStream("usage.txt")) {
            if (in == null) {
                throw new IllegalStateException("usage.txt missing from the launcher jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
