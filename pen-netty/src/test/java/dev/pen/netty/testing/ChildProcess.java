package dev.pen.netty.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running program started by a test (a server, bin/pen in the foreground): standard input empty, its output
 * in {@code NAME.out} and {@code NAME.err} of a directory, so a failing test can show what it said. {@link #close()}
 * stops it with TERM, as an operator would, and kills it (and anything it started) if it does not exit.
 */
public final class ChildProcess implements AutoCloseable {
    private static final long STOP_SECONDS = 10;

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildProcess(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code command} in {@code dir}, with {@code env} added to the test's environment. */
    public static ChildProcess start(Path dir, String name, Map<String, String> env, List<String> command) {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        try {
            return new ChildProcess(name, builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("can't start " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until it exits on its own and returns its exit status; fails, killing it and anything it started, when
     * it runs longer than {@code timeout}.
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** What it wrote on stdout so far. */
    public String stdout() {
        return read(out);
    }

    /** What it wrote on stderr so far. */
    public String stderr() {
        return read(err);
    }

    /** What it wrote so far, stdout then stderr, for failure messages. */
    public String output() {
        return name + " stdout:\n" + read(out) + name + " stderr:\n" + read(err);
    }

    /**
     * Sends TERM and waits for the exit; returns the exit status. Fails when it does not exit in time (and kills
     * it then).
     */
    public int stop() {
        process.destroy();
        return awaitExit(Duration.ofSeconds(STOP_SECONDS));
    }

    /** Stops it if it still runs; never fails, so that cleaning up after a failed test does not hide its cause. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill();
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")\n";
        }
    }
}
