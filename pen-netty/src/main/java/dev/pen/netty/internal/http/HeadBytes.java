package dev.pen.netty.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * What http mode asks of the bytes of a request head (header names, token characters, framing values), and how
 * it passes a rewritten head on with the bytes after it.
 */
final class HeadBytes {
    private static final byte CR = '\r';
    private static final byte SP = ' ';

    private HeadBytes() {
    }

    static boolean isTokenChar(byte b) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9') {
            return true;
        }
        return b > SP && b < 0x7F && "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
    }

    /** Whether the line {@code [line, end)} is header {@code lowerName} (followed by optional spaces and a colon). */
    static boolean isHeader(ByteBuf src, int line, int end, String lowerName) {
        int n = lowerName.length();
        if (end - line <= n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (Character.toLowerCase((char) (src.getByte(line + k) & 0xFF)) != lowerName.charAt(k)) {
                return false;
            }
        }
        int k = line + n;
        while (k < end && (src.getByte(k) == SP || src.getByte(k) == '\t')) {
            k++;
        }
        return k < end && src.getByte(k) == ':';
    }

    static boolean onlyCarriageReturns(ByteBuf src, int from, int to) {
        for (int k = from; k < to; k++) {
            if (src.getByte(k) != CR) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(ByteBuf src, int from, String text) {
        if (src.writerIndex() - from < text.length()) {
            return false;
        }
        for (int k = 0; k < text.length(); k++) {
            if (src.getByte(from + k) != text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the last coding in a Transfer-Encoding line is {@code chunked}. */
    static boolean endsWithChunked(ByteBuf src, int line, int end) {
        int e = end;
        while (e > line && (src.getByte(e - 1) == SP || src.getByte(e - 1) == '\t')) {
            e--;
        }
        String word = "chunked";
        int s = e - word.length();
        if (s <= line) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase((char) (src.getByte(s + k) & 0xFF)) != word.charAt(k)) {
                return false;
            }
        }
        byte before = src.getByte(s - 1);
        return before == ':' || before == ',' || before == SP || before == '\t';
    }

    /** The Content-Length value after the colon, or -1 when it is not a plain decimal number. */
    static long parseLength(ByteBuf src, int from, int end) {
        int k = src.indexOf(from - 1, end, (byte) ':') + 1;
        while (k < end && (src.getByte(k) == SP || src.getByte(k) == '\t')) {
            k++;
        }
        int e = end;
        while (e > k && (src.getByte(e - 1) == SP || src.getByte(e - 1) == '\t')) {
            e--;
        }
        if (k == e || e - k > 18) {
            return -1;
        }
        long value = 0;
        for (; k < e; k++) {
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
