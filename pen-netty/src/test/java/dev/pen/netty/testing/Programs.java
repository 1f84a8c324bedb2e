package dev.pen.netty.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs real programs (curl, openssl) from tests. A test that needs a missing program is skipped, except when the
 * environment says {@code CI=true}: there it fails, since CI installs them.
 */
public final class Programs {
    private Programs() {
    }

    /** What a finished program gave: exit status and output (stdout and stderr together). */
    public record Result(int exitCode, String output) {
    }

    /** Skips the calling test when {@code program} is not on the PATH, or fails it under CI. */
    public static void require(String program) {
        path(program);
    }

    /**
     * Where {@code program} is: on the PATH, or in an sbin directory (nginx and dnsmasq live there and a user's PATH
     * may leave them out). Skips the calling test when it is missing, or fails it under CI.
     */
    public static Path path(String program) {
        List<String> dirs = new ArrayList<>(
                List.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(program + " is not installed, and CI must have it");
        }
        assumeTrue(false, program + " is not installed");
        throw new AssertionError("unreachable");
    }

    /** Runs {@code command} with empty standard input and waits up to 60 seconds for it. */
    public static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    /** Runs {@code command} and fails the test, showing its output, unless it exits with status 0. */
    public static String check(List<String> command) {
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }
}
