package dev.pen.logtools.mergelogs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.logtools.ExternalPrograms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our mergelogs against Debian's (package {@code pen}) on generated logs, Debian's run with {@code TZ=UTC}.
 *
 * <p>pen's mergelogs leaves {@code tm_isdst} uninitialised before {@code mktime}, so even with {@code TZ=UTC}
 * a line now and then comes out one hour early (and may then match another pen entry and sort earlier). Those
 * lines are the only difference allowed: each must be our line's time minus 3600 seconds, they must be rare, and
 * every other line must be identical and in the same order.
 */
class DebianMergelogsTest {

    @TempDir
    Path dir;

    @Test
    void outputEqualsDebianMergelogsExceptPensDaylightSavingSlip() throws Exception {
        Path debian = ExternalPrograms.require("mergelogs", "pen");
        GeneratedLogs logs = GeneratedLogs.write(dir, 3, 30_000, 5, 42);
        compare(debian, logs, new String[0]);
    }

    @Test
    void narrowJitterOutputEqualsDebianMergelogsExceptPensDaylightSavingSlip() throws Exception {
        Path debian = ExternalPrograms.require("mergelogs", "pen");
        GeneratedLogs logs = GeneratedLogs.write(dir, 2, 20_000, 2, 7);
        compare(debian, logs, new String[] {"-j", "3", "-t", "1"});
    }

    private void compare(Path debian, GeneratedLogs logs, String[] options) throws Exception {
        List<String> command = new ArrayList<>(List.of(debian.toString()));
        command.addAll(List.of(logs.arguments(options)));
        Path theirs = dir.resolve("debian.out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(theirs.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("TZ", "UTC");
        Process process = builder.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("Debian mergelogs finished").isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).isZero();
        MergelogsRun ours = MergelogsRun.of(logs.arguments(options));
        assertThat(ours.status()).isZero();

        List<String> ourLines = ours.out().lines().toList();
        List<String> theirLines = Files.readAllLines(theirs, StandardCharsets.ISO_8859_1);
        assertThat(ourLines).hasSize((int) logs.webLines());
        assertThat(theirLines).hasSameSizeAs(ourLines);

        Map<String, String> ourById = byId(ourLines);
        Map<String, String> theirById = byId(theirLines);
        assertThat(theirById.keySet()).isEqualTo(ourById.keySet());
        List<String> slipped = new ArrayList<>();
        for (Map.Entry<String, String> e : ourById.entrySet()) {
            String mine = e.getValue();
            String pens = theirById.get(e.getKey());
            if (!mine.equals(pens)) {
                assertThat(time(pens)).as("pen's line differs by its daylight-saving slip only:%n%s%n%s", pens, mine)
                    .isEqualTo(time(mine) - 3600);
                assertThat(rest(pens)).isEqualTo(rest(mine));
                slipped.add(e.getKey());
            }
        }
        assertThat(slipped.size()).as("lines pen shifted by an hour").isLessThan(ourLines.size() / 100 + 2);
        assertThat(ids(ourLines, slipped)).isEqualTo(ids(theirLines, slipped));
    }

    private static Map<String, String> byId(List<String> lines) {
        Map<String, String> map = new HashMap<>();
        for (String line : lines) {
            map.put(id(line), line);
        }
        return map;
    }

    /** The unique number the generator put after the status code. */
    private static String id(String line) {
        String[] words = line.substring(line.lastIndexOf("\" 200 ") + 6).split(" ");
        return words[0];
    }

    private static List<String> ids(List<String> lines, List<String> leaveOut) {
        return lines.stream().map(DebianMergelogsTest::id).filter(id -> !leaveOut.contains(id)).toList();
    }

    private static long time(String line) {
        return WebTime.parse(line.substring(line.indexOf('[') + 1, line.indexOf(']')));
    }

    /** The line after its time: request, status and the rest, which the slip does not touch. */
    private static String rest(String line) {
        return line.substring(line.indexOf(']'));
    }
}
