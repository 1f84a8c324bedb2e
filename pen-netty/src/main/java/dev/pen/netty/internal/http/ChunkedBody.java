package dev.pen.netty.internal.http;

import static dev.pen.netty.internal.http.HeadBytes.CR;
import static dev.pen.netty.internal.http.HeadBytes.LF;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked body (RFC 9112 section 7.1) byte by byte across reads, so that what comes after it is known:
 * hex chunk sizes with optional extensions, chunk data, and the trailer section. Anything else in the framing is
 * an error ({@link #BAD}); the caller decides what an error means. Data bytes are counted, never looked at.
 */
final class ChunkedBody {
    static final int BAD = -1;
    private static final long MAX_SIZE = 1L << 56;
    private static final int MAX_LINE = 4096;

    private enum Part { SIZE, SIZE_END, EXTENSION, SIZE_LF, DATA, DATA_END, DATA_LF, TRAILER, TRAILER_LF, DONE }

    private Part part = Part.DONE;
    private long size;
    private int digits;
    private int lineLength;
    private int trailerBytes;

    /** Starts a new body. */
    void start() {
        startSize();
        trailerBytes = 0;
    }

    private void startSize() {
        part = Part.SIZE;
        size = 0;
        digits = 0;
        lineLength = 0;
    }

    /** Whether the body ended (the last chunk and the trailer section were read). */
    boolean done() {
        return part == Part.DONE;
    }

    /** Data bytes of the current chunk still to come, 0 outside chunk data. */
    long dataLeft() {
        return part == Part.DATA ? size : 0;
    }

    /** Counts {@code n} bytes of chunk data, fewer than {@link #dataLeft()}, read without a scan. */
    void skipData(int n) {
        size -= n;
    }

    /** Reads framing from {@code i}; returns where it stopped (at the body's end, or {@code end}), or {@link #BAD}. */
    int scan(ByteBuf in, int i, int end) {
        while (i < end) {
            if (part == Part.DATA) {
                int n = (int) Math.min(size, end - i);
                i += n;
                size -= n;
                if (size == 0) {
                    part = Part.DATA_END;
                }
            } else if (!step(in.getByte(i++))) {
                return BAD;
            } else if (part == Part.DONE) {
                return i;
            }
        }
        return i;
    }

    private boolean step(byte b) {
        switch (part) {
            case SIZE -> {
                int digit = Character.digit(b, 16);
                if (digit >= 0) {
                    size = size * 16 + digit;
                    return ++digits <= 15 && size <= MAX_SIZE;
                }
                return digits > 0 && afterSize(b);
            }
            case SIZE_END -> {
                return afterSize(b);
            }
            case EXTENSION -> {
                if (b == CR) {
                    part = Part.SIZE_LF;
                } else if (b == LF) {
                    sizeLineEnded();
                } else {
                    return ++lineLength <= MAX_LINE && HeadBytes.isFieldChar(b);
                }
                return true;
            }
            case SIZE_LF -> {
                return b == LF && sizeLineEnded();
            }
            case DATA_END -> {
                if (b == CR) {
                    part = Part.DATA_LF;
                } else if (b == LF) {
                    startSize();
                } else {
                    return false;
                }
                return true;
            }
            case DATA_LF -> {
                if (b != LF) {
                    return false;
                }
                startSize();
                return true;
            }
            case TRAILER -> {
                return trailerByte(b);
            }
            case TRAILER_LF -> {
                return b == LF && trailerLineEnded();
            }
            default -> {
                return false;
            }
        }
    }

    /** After the size's digits: optional whitespace, then an extension or the end of the line. */
    private boolean afterSize(byte b) {
        if (HeadBytes.isWhitespace(b)) {
            part = Part.SIZE_END;
        } else if (b == ';') {
            part = Part.EXTENSION;
        } else if (b == CR) {
            part = Part.SIZE_LF;
        } else if (b == LF) {
            sizeLineEnded();
        } else {
            return false;
        }
        return true;
    }

    private boolean sizeLineEnded() {
        if (size == 0) {
            part = Part.TRAILER;
            lineLength = 0;
        } else {
            part = Part.DATA;
        }
        return true;
    }

    private boolean trailerByte(byte b) {
        if (b == CR) {
            part = Part.TRAILER_LF;
            return true;
        }
        if (b == LF) {
            return trailerLineEnded();
        }
        if (++trailerBytes > ForwardedHeadersHandler.MAX_HEAD) {
            return false;
        }
        // A trailer line is a field line: no folding, no control characters.
        boolean fold = lineLength++ == 0 && HeadBytes.isWhitespace(b);
        return !fold && HeadBytes.isFieldChar(b);
    }

    private boolean trailerLineEnded() {
        if (lineLength == 0) {
            part = Part.DONE;
        } else {
            part = Part.TRAILER;
            lineLength = 0;
        }
        return true;
    }
}
