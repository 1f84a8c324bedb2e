package dev.pen.launcher.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The servers file's grammar and bounds. */
class ServersFileTest {
    @TempDir
    Path dir;

    private ServersFile file(String text) throws Exception {
        Path p = dir.resolve("servers");
        Files.writeString(p, text);
        return new ServersFile(p, 8080);
    }

    @Test
    void specsAsOnTheCommandLineWithCommentsAndBlankLines() throws Exception {
        ServersFile f = file("# farm\n\n127.0.0.2\r\n  127.0.0.3:81:10:20:5:1  # fast one\n[::1]:82\n");
        assertThat(f.read()).containsExactly(Backend.parse("127.0.0.2", 8080), Backend.parse("127.0.0.3:81:10:20:5:1", 8080),
                Backend.parse("[::1]:82", 8080));
    }

    @Test
    void theSameContentIsNotReadTwice() throws Exception {
        ServersFile f = file("127.0.0.2:81\n");
        assertThat(f.readIfChanged()).hasSize(1);
        assertThat(f.readIfChanged()).isNull();
        Files.writeString(f.path(), "127.0.0.2:82\n");
        assertThat(f.readIfChanged()).containsExactly(Backend.parse("127.0.0.2:82", 8080));
    }

    @Test
    void aBadLineRefusesTheFileNamingItTheLineAndWhatWasExpected() throws Exception {
        ServersFile f = file("127.0.0.2:81\n\n127.0.0.3:81:ten\n");
        assertThatThrownBy(f::read).hasMessage("servers file " + f.path() + " line 3: unexpected maxc 'ten' in "
                + "server spec '127.0.0.3:81:ten' (expected a number)");
        ServersFile two = file("127.0.0.2:81 127.0.0.3:81\n");
        assertThatThrownBy(two::read).hasMessage("servers file " + two.path() + " line 1: bad server spec "
                + "'127.0.0.2:81 127.0.0.3:81' (expected one host[:port[:maxc[:hard[:weight[:prio]]]]] a line)");
    }

    @Test
    void aFileLargerThanOneMebibyteIsRefused() throws Exception {
        ServersFile f = file("#".repeat(ServersFile.MAX_BYTES + 1));
        assertThatThrownBy(f::read).hasMessage("servers file " + f.path() + ": larger than 1048576 bytes (expected "
                + "at most 1048576)");
    }

    @Test
    void moreServersThanTheTableHoldsAreRefused() throws Exception {
        ServersFile f = file("127.0.0.2:81\n".repeat(BalancerConfig.MAX_SLOTS + 1));
        assertThatThrownBy(f::read).hasMessage("servers file " + f.path() + " line 10001: more than 10000 servers "
                + "(expected at most 10000)");
    }

    @Test
    void aMissingFileIsNamed() {
        ServersFile f = new ServersFile(dir.resolve("none"), 8080);
        assertThatThrownBy(f::read).hasMessage("servers file " + f.path() + ": No such file or directory");
    }
}
