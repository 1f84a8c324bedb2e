package dev.pen.api.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of pen for the JVM, as {@code --version} prints it: the one the jars were built as, recorded at build
 * time in {@code version.properties} beside this class.
 */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    /** The version, such as {@code 0.1.0}. */
    public static String current() {
        return VERSION;
    }

    /** The line {@code --version} prints: {@code PROGRAM VERSION}, such as {@code pen 0.1.0}. */
    public static String line(String program) {
        return program + " " + VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the pen-api jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
