package dev.pen.netty.internal.http;

import static dev.pen.netty.internal.http.HeadBytes.LF;
import static dev.pen.netty.internal.http.HeadBytes.SP;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * One complete HTTP/1.x request head, parsed as strictly as RFC 9112 lets a server be, and written on with the
 * forwarding headers. Refused (so the caller answers 400): a request line that is not {@code method SP target SP
 * HTTP/1.d}, a field line that is folded, has whitespace before its colon, a name that is not a token or a
 * control byte in its value, a {@code Transfer-Encoding} whose codings are unknown or do not end with one
 * {@code chunked} (or any in HTTP/1.0), and a {@code Content-Length} that is not a number or disagrees with
 * another. Lines may end with CRLF or a bare LF. One object per connection, reused for each request.
 */
final class RequestHead {
    private static final byte[] XFF = "X-Forwarded-For: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] XFP = "X-Forwarded-Proto: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] APPEND = ", ".getBytes(StandardCharsets.US_ASCII);
    private static final String[] CODINGS = {"gzip", "x-gzip", "deflate", "compress", "x-compress"};

    private long contentLength;
    private boolean chunked;
    private boolean transferEncoding;
    private byte kind;
    private int lastForwardedFor;
    private int firstContentLength;
    private int blankLine;

    /** The body's length after a successful parse: -1 when there is none or it is chunked. */
    long contentLength() {
        return chunked ? -1 : contentLength;
    }

    boolean chunked() {
        return chunked;
    }

    /** What the response's framing depends on, as {@link PendingRequests} records it. */
    byte kind() {
        return kind;
    }

    /** Parses the head {@code src[from, to)}, which ends with its empty line; false when it must be refused. */
    boolean parse(ByteBuf src, int from, int to) {
        contentLength = -1;
        chunked = false;
        transferEncoding = false;
        kind = 0;
        lastForwardedFor = -1;
        firstContentLength = -1;
        int lf = src.indexOf(from, to, LF);
        int version = lf < 0 ? -1 : parseRequestLine(src, from, HeadBytes.contentEnd(src, from, lf));
        if (version < 0) {
            return false;
        }
        for (int line = lf + 1; ; line = lf + 1) {
            lf = src.indexOf(line, to, LF);
            int end = HeadBytes.contentEnd(src, line, lf);
            if (end == line) {
                blankLine = line;
                break;
            }
            if (!parseField(src, line, end)) {
                return false;
            }
        }
        return !transferEncoding || chunked && version != '0';
    }

    /** Checks the request line; returns the minor version digit, or -1 when the line is not a request line. */
    private int parseRequestLine(ByteBuf src, int from, int end) {
        int k = from;
        while (k < end && HeadBytes.isTokenChar(src.getByte(k))) {
            k++;
        }
        int methodEnd = k;
        if (k == from || k == end || src.getByte(k++) != SP) {
            return -1;
        }
        int target = k;
        while (k < end && (src.getByte(k) & 0xFF) > SP && src.getByte(k) != 0x7F) {
            k++;
        }
        if (k == target || end - k != 9 || src.getByte(k) != SP || !HeadBytes.matches(src, k + 1, k + 8, "HTTP/1.")
                || src.getByte(k + 8) < '0' || src.getByte(k + 8) > '9') {
            return -1;
        }
        if (HeadBytes.matches(src, from, methodEnd, "HEAD")) {
            kind = PendingRequests.HEAD;
        } else if (HeadBytes.matches(src, from, methodEnd, "CONNECT")) {
            kind = PendingRequests.CONNECT;
        }
        return src.getByte(k + 8);
    }

    private boolean parseField(ByteBuf src, int line, int end) {
        int colon = line;
        while (colon < end && HeadBytes.isTokenChar(src.getByte(colon))) {
            colon++;
        }
        if (colon == line || colon == end || src.getByte(colon) != ':') {
            return false; // folded, whitespace before the colon, a name that is not a token, or no colon
        }
        for (int k = colon + 1; k < end; k++) {
            if (!HeadBytes.isFieldChar(src.getByte(k))) {
                return false;
            }
        }
        int value = HeadBytes.skipWhitespace(src, colon + 1, end);
        int valueEnd = HeadBytes.trimWhitespace(src, value, end);
        if (HeadBytes.equalsIgnoreCase(src, line, colon, "content-length")) {
            long n = HeadBytes.parseLength(src, value, valueEnd);
            if (n < 0 || contentLength >= 0 && n != contentLength) {
                return false;
            }
            contentLength = n;
            if (firstContentLength < 0) {
                firstContentLength = line;
            }
        } else if (HeadBytes.equalsIgnoreCase(src, line, colon, "transfer-encoding")) {
            transferEncoding = true;
            return parseCodings(src, value, valueEnd);
        } else if (HeadBytes.equalsIgnoreCase(src, line, colon, "x-forwarded-for")) {
            lastForwardedFor = line;
        } else if (HeadBytes.equalsIgnoreCase(src, line, colon, "upgrade")) {
            kind |= PendingRequests.UPGRADE;
        }
        return true;
    }

    /** The codings of one Transfer-Encoding line: known ones, then {@code chunked} last of all lines. */
    private boolean parseCodings(ByteBuf src, int from, int end) {
        for (int k = from; k <= end; ) {
            int comma = src.indexOf(k, end, (byte) ',');
            int elementEnd = comma < 0 ? end : comma;
            int start = HeadBytes.skipWhitespace(src, k, elementEnd);
            int stop = HeadBytes.trimWhitespace(src, start, elementEnd);
            if (chunked || !knownCoding(src, start, stop)) {
                return false; // a coding after chunked, an unknown one, or an empty element
            }
            chunked = HeadBytes.equalsIgnoreCase(src, start, stop, "chunked");
            k = elementEnd + 1;
        }
        return true;
    }

    private static boolean knownCoding(ByteBuf src, int from, int to) {
        if (HeadBytes.equalsIgnoreCase(src, from, to, "chunked")) {
            return true;
        }
        for (String coding : CODINGS) {
            if (HeadBytes.equalsIgnoreCase(src, from, to, coding)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the parsed head {@code src[from, to)} to a new buffer with {@code X-Forwarded-Proto: proto} (one the
     * client sent is left out) and {@code client} appended to the last {@code X-Forwarded-For} (or a new one when
     * there is none; none at all when {@code client} is null). A {@code Content-Length} beside chunked goes, and
     * so does every repeat of an agreeing one.
     */
    ByteBuf write(ByteBufAllocator alloc, ByteBuf src, int from, int to, byte[] client, byte[] proto) {
        ByteBuf out = alloc.buffer(to - from + XFP.length + proto.length + XFF.length
                + (client == null ? 0 : client.length) + 8);
        int lf = src.indexOf(from, to, LF);
        out.writeBytes(src, from, lf + 1 - from);
        for (int line = lf + 1; line < blankLine; line = lf + 1) {
            lf = src.indexOf(line, to, LF);
            int end = HeadBytes.contentEnd(src, line, lf);
            int colon = src.indexOf(line, end, (byte) ':');
            if (HeadBytes.equalsIgnoreCase(src, line, colon, "x-forwarded-proto")
                    || HeadBytes.equalsIgnoreCase(src, line, colon, "content-length")
                    && (chunked || line != firstContentLength)) {
                continue; // the balancer knows how the client came in; one length, or none beside chunked
            }
            if (line == lastForwardedFor && client != null) {
                int valueEnd = HeadBytes.trimWhitespace(src, colon + 1, end);
                out.writeBytes(src, line, valueEnd - line);
                if (HeadBytes.skipWhitespace(src, colon + 1, valueEnd) < valueEnd) {
                    out.writeBytes(APPEND);
                } else {
                    out.writeByte(SP);
                }
                out.writeBytes(client).writeBytes(CRLF);
            } else {
                out.writeBytes(src, line, lf + 1 - line);
            }
        }
        out.writeBytes(XFP).writeBytes(proto).writeBytes(CRLF);
        if (lastForwardedFor < 0 && client != null) {
            out.writeBytes(XFF).writeBytes(client).writeBytes(CRLF);
        }
        return out.writeBytes(src, blankLine, to - blankLine);
    }
}
