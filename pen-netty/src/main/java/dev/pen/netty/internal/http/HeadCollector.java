package dev.pen.netty.internal.http;

import static dev.pen.netty.internal.http.HeadBytes.CR;
import static dev.pen.netty.internal.http.HeadBytes.LF;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Finds the end of one message head (its first empty line) across reads and keeps the head's bytes from earlier
 * reads, at most {@link ForwardedHeadersHandler#MAX_HEAD} in all. Owns the buffer it keeps: {@link #release()}.
 */
final class HeadCollector {
    static final int NEED_MORE = -1;
    static final int TOO_LONG = -2;

    private ByteBuf kept;
    private int length;
    private boolean lineHasContent;

    /** Starts a head; {@code seen} of its bytes, in its first line, were read already. */
    void start(int seen) {
        length = seen;
        lineHasContent = seen > 0;
    }

    /**
     * Scans from {@code i}: returns the index after the head's empty line (a line of nothing but carriage
     * returns), {@link #NEED_MORE}, or {@link #TOO_LONG}.
     */
    int scan(ByteBuf in, int i, int end) {
        while (i < end) {
            int lf = in.indexOf(i, end, LF);
            int stop = lf < 0 ? end : lf;
            length += stop - i + (lf < 0 ? 0 : 1);
            if (length > ForwardedHeadersHandler.MAX_HEAD) {
                return TOO_LONG;
            }
            for (int k = i; !lineHasContent && k < stop; k++) {
                lineHasContent = in.getByte(k) != CR;
            }
            if (lf < 0) {
                return NEED_MORE;
            }
            if (!lineHasContent) {
                return lf + 1;
            }
            lineHasContent = false;
            i = lf + 1;
        }
        return NEED_MORE;
    }

    /** Keeps {@code in[from, to)}, the part of the head in this read. */
    void keep(ByteBufAllocator alloc, ByteBuf in, int from, int to) {
        if (kept == null) {
            kept = alloc.buffer(Math.min(ForwardedHeadersHandler.MAX_HEAD, Math.max(256, 2 * (to - from))));
        }
        kept.writeBytes(in, from, to - from);
    }

    /**
     * The whole head: {@code in[from, to)} after the bytes kept from earlier reads, as a buffer of its own (which
     * the caller releases) when some were kept, else as a slice of {@code in} (which the caller must not release).
     */
    ByteBuf whole(ByteBuf in, int from, int to) {
        if (kept == null) {
            return in.slice(from, to - from);
        }
        keep(in.alloc(), in, from, to);
        return take();
    }

    /** Whether bytes of earlier reads are kept. */
    boolean holds() {
        return kept != null;
    }

    /** Hands the kept bytes over to the caller, who releases them; none are kept afterwards. */
    ByteBuf take() {
        ByteBuf b = kept;
        kept = null;
        return b;
    }

    void release() {
        if (kept != null) {
            kept.release();
            kept = null;
        }
    }
}
