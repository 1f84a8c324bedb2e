package dev.pen.logtools.lines;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines of bytes split on {@code \n} only, as C's {@code fgets} does: a {@code \r} stays part of the line,
 * and a last line without a newline is still a line. Each byte becomes one char (ISO-8859-1), so writing a line
 * back in ISO-8859-1 gives the very bytes that were read. Not thread-safe.
 */
public final class LineReader implements Closeable {

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;
    private long bytesRead;
    private boolean lastTerminated = true;
    private byte[] longLine = new byte[256];

    public LineReader(InputStream in) {
        this(in, 1 << 16);
    }

    public LineReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[bufferSize];
    }

    /** The next line without its {@code \n}, or null at the end of the input. */
    public String readLine() throws IOException {
        int longLength = 0;
        while (true) {
            if (position == limit && !fill()) {
                if (longLength == 0) {
                    return null;
                }
                lastTerminated = false;
                return new String(longLine, 0, longLength, StandardCharsets.ISO_8859_1);
            }
            int start = position;
            int end = start;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            if (end < limit) {
                position = end + 1;
                bytesRead += end + 1 - start;
                lastTerminated = true;
                if (longLength == 0) {
                    return new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
                }
                longLength = append(longLength, start, end);
                return new String(longLine, 0, longLength, StandardCharsets.ISO_8859_1);
            }
            // The line runs past the buffer: keep what we have and read on.
            bytesRead += end - start;
            longLength = append(longLength, start, end);
            position = limit;
        }
    }

    /** Whether the line last returned ended with a newline (only the last line of an input may not). */
    public boolean lastLineTerminated() {
        return lastTerminated;
    }

    /** Bytes consumed so far, newlines included. */
    public long bytesRead() {
        return bytesRead;
    }

    private int append(int length, int start, int end) {
        int n = end - start;
        if (length + n > longLine.length) {
            byte[] bigger = new byte[Math.max(longLine.length * 2, length + n)];
            System.arraycopy(longLine, 0, bigger, 0, length);
            longLine = bigger;
        }
        System.arraycopy(buffer, start, longLine, length, n);
        return length + n;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            position = limit = 0;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
