package dev.pen.netty.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * What http mode asks of the bytes of a message head (token characters, header names, numbers), and how it
 * passes a rewritten head on with the bytes after it.
 */
final class HeadBytes {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HT = '\t';

    private HeadBytes() {
    }

    static boolean isTokenChar(byte b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
            return true;
        }
        return b > SP && b < 0x7F && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    static boolean isWhitespace(byte b) {
        return b == SP || b == HT;
    }

    /** Whether {@code b} may be in a field value: visible, obs-text, space or tab (no other control byte). */
    static boolean isFieldChar(byte b) {
        return (b & 0xFF) >= 0x20 && b != 0x7F || b == HT;
    }

    /** Where the content of the line ending with the LF at {@code lf} ends: before one CR, if there is one. */
    static int contentEnd(ByteBuf src, int line, int lf) {
        return lf > line && src.getByte(lf - 1) == CR ? lf - 1 : lf;
    }

    /** Whether {@code [from, to)} is {@code lowerText}, compared without case. */
    static boolean equalsIgnoreCase(ByteBuf src, int from, int to, String lowerText) {
        if (to - from != lowerText.length()) {
            return false;
        }
        for (int k = 0; k < lowerText.length(); k++) {
            byte b = src.getByte(from + k);
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerText.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code [from, to)} is exactly {@code text}. */
    static boolean matches(ByteBuf src, int from, int to, String text) {
        if (to - from != text.length()) {
            return false;
        }
        for (int k = 0; k < text.length(); k++) {
            if (src.getByte(from + k) != text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static int skipWhitespace(ByteBuf src, int from, int to) {
        while (from < to && isWhitespace(src.getByte(from))) {
            from++;
        }
        return from;
    }

    static int trimWhitespace(ByteBuf src, int from, int to) {
        while (to > from && isWhitespace(src.getByte(to - 1))) {
            to--;
        }
        return to;
    }

    /** The decimal number {@code [from, to)} (at most 18 digits), or -1 when it is anything else. */
    static long parseLength(ByteBuf src, int from, int to) {
        if (from == to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int k = from; k < to; k++) {
            byte b = src.getByte(k);
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    /** Passes on {@code head} (a rewritten request head, or null) followed by bytes {@code from..to} of {@code in}. */
    static void emit(ChannelHandlerContext ctx, ByteBuf in, int from, int to, ByteBuf head) {
        if (head == null) {
            if (to > from) {
                ctx.fireChannelRead(in.retainedSlice(from, to - from));
            }
        } else if (to == from) {
            ctx.fireChannelRead(head);
        } else {
            ctx.fireChannelRead(ctx.alloc().compositeBuffer(2)
                    .addComponents(true, head, in.retainedSlice(from, to - from)));
        }
    }
}
