package dev.pen.logtools;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/** Finds programs some tests compare with or run (pen's mergelogs, dnsmasq); missing is an error on CI. */
public final class ExternalPrograms {

    private ExternalPrograms() {
    }

    /**
     * The path of {@code name} in the usual places; when it is missing the test is skipped, except with
     * {@code CI=true}, where it fails.
     */
    public static Path require(String name, String debianPackage) {
        Optional<Path> found = find(name);
        if (found.isEmpty()) {
            String why = name + " not found (apt-get install -y " + debianPackage + ")";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return found.get();
    }

    static Optional<Path> find(String name) {
        for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin"}) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
