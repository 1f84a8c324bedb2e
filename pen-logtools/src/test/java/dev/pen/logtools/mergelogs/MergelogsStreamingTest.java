package dev.pen.logtools.mergelogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mergelogs streams: millions of lines go through a JVM whose heap could not hold a fraction of them. */
class MergelogsStreamingTest {

    static final int LINES = 3_000_000;

    @TempDir
    Path dir;

    @Test
    void millionsOfLinesMergeInA32MegabyteHeapWithinAMinute() throws Exception {
        GeneratedLogs logs = GeneratedLogs.write(dir, 2, LINES, 10, 1);
        long inputBytes = Files.size(logs.penLog());
        for (String argument : logs.serverArguments()) {
            inputBytes += Files.size(Path.of(argument.substring(argument.indexOf(':') + 1)));
        }
        Path out = dir.resolve("merged");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
            Mergelogs.class.getName()));
        command.addAll(List.of(logs.arguments()));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
            .redirectError(dir.resolve("stderr").toFile()).start();
        boolean finished;
        try {
            finished = process.waitFor(60, TimeUnit.SECONDS);
        } finally {
            process.destroyForcibly();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(finished).as("finished within 60 s").isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("stderr"))).isZero();
        assertThat(inputBytes).as("input far larger than the heap").isGreaterThan(300L << 20);
        long lines = 0;
        long previous = Long.MIN_VALUE;
        long outOfOrder = 0;
        try (BufferedReader in = Files.newBufferedReader(out, StandardCharsets.ISO_8859_1)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines++;
                long t = WebTime.parse(line.substring(line.indexOf('[') + 1, line.indexOf(']')));
                if (t < previous) {
                    outOfOrder++;
                }
                previous = t;
            }
        }
        assertThat(lines).isEqualTo(logs.webLines());
        assertThat(outOfOrder).isZero();
        System.out.printf("mergelogs: %d lines, %d MiB in, %d ms%n", lines, inputBytes >> 20, millis);
    }
}
