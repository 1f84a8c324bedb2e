package dev.pen.netty.internal.tls;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A coverage-guided fuzz target for the PEM files of {@code -E -K -G}: any file gives certificates and a key, or
 * one line naming the file and what was expected. {@code mvn verify} replays the inputs kept under
 * {@code .../PemFilesFuzzTestInputs}.
 */
class PemFilesFuzzTest {
    private static final Path FILE = temporaryFile();

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("pem-fuzz", ".pem");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void pemFile(FuzzedDataProvider data) throws IOException {
        boolean key = data.consumeBoolean();
        Files.write(FILE, data.consumeRemainingAsBytes());
        try {
            if (key) {
                PemFiles.privateKey(FILE);
            } else {
                PemFiles.certificates(FILE, "certificate file");
            }
        } catch (IllegalArgumentException expected) {
            if (!expected.getMessage().contains(FILE.toString())) {
                throw new AssertionError("an error that does not name the file: " + expected.getMessage());
            }
        }
    }
}
