package dev.pen.logtools.lines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineReaderTest {

    static List<String> lines(String text, int bufferSize) throws IOException {
        LineReader in = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)),
            bufferSize);
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lines.add(line + (in.lastLineTerminated() ? "|" : "$"));
        }
        assertThat(in.bytesRead()).isEqualTo(text.length());
        return lines;
    }

    @Test
    void splitsOnNewlineOnlyAndKeepsCarriageReturns() throws IOException {
        assertThat(lines("a\r\nb\rc\n\n", 64)).containsExactly("a\r|", "b\rc|", "|");
    }

    @Test
    void lastLineWithoutNewlineIsStillALine() throws IOException {
        assertThat(lines("a\nlast", 64)).containsExactly("a|", "last$");
    }

    @Test
    void linesLongerThanTheBufferComeWhole() throws IOException {
        String longLine = "x".repeat(1000);

        assertThat(lines(longLine + "\n" + longLine, 7)).containsExactly(longLine + "|", longLine + "$");
    }

    @Test
    void everyByteValueComesBackAsOneChar() throws IOException {
        byte[] all = new byte[255];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i < 10 ? i : i + 1);
        }
        LineReader in = new LineReader(new ByteArrayInputStream(all));

        assertThat(in.readLine().getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(all);
    }
}
