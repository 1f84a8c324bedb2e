package dev.pen.launcher.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The debug file of the background: opened once, never through a link, private to its owner. */
class DiagnosticsFileTest {
    private final Diagnostics diagnostics =
            new Diagnostics(() -> 0, new PrintStream(OutputStream.nullOutputStream()));

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        diagnostics.close();
    }

    @Test
    void newDebugFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("pen-debug.log");
        diagnostics.toFile(file);
        diagnostics.debug(0, "one");
        diagnostics.flush();
        assertThat(Files.readString(file)).endsWith(": one\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void debugFileIsOpenedOnceAndAgainOnlyOnReopen() throws Exception {
        Path file = dir.resolve("pen-debug.log");
        diagnostics.toFile(file);
        diagnostics.debug(0, "one");
        Path rotated = dir.resolve("pen-debug.log.1");
        diagnostics.flush();
        Files.move(file, rotated);
        diagnostics.debug(0, "two");
        diagnostics.reopen();
        diagnostics.debug(0, "three");
        diagnostics.flush();
        assertThat(Files.readAllLines(rotated)).hasSize(2).last().asString().endsWith(": two");
        assertThat(Files.readAllLines(file)).singleElement().asString().endsWith(": three");
    }

    @Test
    void symbolicLinkAtTheDebugFilesNameIsRefusedAndItsTargetLeftAlone() throws Exception {
        Path target = Files.writeString(dir.resolve("precious"), "keep\n");
        Path link = Files.createSymbolicLink(dir.resolve("pen-debug.log"), target);
        assertThatThrownBy(() -> diagnostics.toFile(link)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(link.toString()).hasMessageContaining("link");
        diagnostics.debug(0, "one");
        diagnostics.flush();
        assertThat(Files.readString(target)).isEqualTo("keep\n");
    }

    @Test
    void defaultDebugFileIsInTheRuntimeDirectoryElseTheWorkingDirectoryNeverTmp() {
        assertThat(Diagnostics.defaultFile(dir.toString())).isEqualTo(dir.resolve("pen-debug.log"));
        Path here = Path.of("pen-debug.log").toAbsolutePath();
        assertThat(Diagnostics.defaultFile(null)).isEqualTo(here);
        assertThat(Diagnostics.defaultFile(dir.resolve("missing").toString())).isEqualTo(here);
    }

    @Test
    void linesPrintedOnTheStreamArriveAsLinesWithoutAStamp() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Diagnostics d = new Diagnostics(() -> 0, new PrintStream(out, true));
        PrintStream stream = d.asStream();
        stream.println("WARN io.netty: something");
        stream.print("partial");
        stream.print(" line\n");
        d.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("WARN io.netty: something\npartial line\n");
    }
}
