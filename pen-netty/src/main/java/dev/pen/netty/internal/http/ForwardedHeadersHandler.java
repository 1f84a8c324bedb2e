package dev.pen.netty.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;

/**
 * http mode for one client connection: adds {@code X-Forwarded-For} (appending the client to an existing one) and
 * {@code X-Forwarded-Proto} (replacing an existing one) to every HTTP/1.x request head, and passes everything else
 * on as it came.
 *
 * <p>A streaming parser follows the request framing (head, Content-Length body, chunked body with trailers) so it
 * knows where each next request starts, whatever the split of the bytes into reads. Only the head being read is
 * held, and only up to {@link #MAX_HEAD} bytes; bodies pass as slices of the buffers read. Each request head is
 * passed on at the start of its own buffer, so the relay's per-read log event carries the request line. Bytes
 * that are not an HTTP/1.x request head, a head over {@link #MAX_HEAD}, a body whose length cannot be known and
 * whatever follows an upgrade or {@code CONNECT} end the parsing: from there on the connection is relayed as it is.
 *
 * <p>Runs on the channel's event loop only; not sharable.
 */
public final class ForwardedHeadersHandler extends ChannelInboundHandlerAdapter {
    /** The largest request head rewritten; a longer one is relayed unchanged. */
    public static final int MAX_HEAD = 64 * 1024;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte[] VERSION = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {CR, LF};
    private static final byte[] XFF = "X-Forwarded-For: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] XFP = "X-Forwarded-Proto: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] APPEND = ", ".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_CHUNK = 1L << 56;
    private static final int NEED_MORE = -1;
    private static final int NOT_A_HEAD = -2;

    private enum State { REQUEST_START, HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, PASSTHROUGH }

    private final byte[] client;
    private final byte[] proto;
    private State state = State.REQUEST_START;

    // The head being read: bytes of earlier reads, and where the scan is.
    private ByteBuf partial;
    private int headLength;
    private int linePart;
    private int partLength;

    // Body framing.
    private long remaining;
    private long chunkSize;
    private int chunkDigits;
    private boolean chunkExtension;
    private int trailerLineLength;

    /**
     * @param client the client's address as {@code X-Forwarded-For} shows it, or {@code null} to add none (a Unix
     *     socket client has no address)
     * @param tls whether the client connection is TLS, which makes {@code X-Forwarded-Proto} {@code https}
     */
    public ForwardedHeadersHandler(String client, boolean tls) {
        this.client = client == null ? null : client.getBytes(StandardCharsets.US_ASCII);
        this.proto = (tls ? "https" : "http").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int readable = in.readableBytes();
        if (state == State.PASSTHROUGH
                || (state == State.BODY || state == State.CHUNK_DATA) && remaining > readable) {
            // The whole read is body or opaque bytes: pass the buffer itself on.
            remaining -= state == State.PASSTHROUGH ? 0 : readable;
            ctx.fireChannelRead(in);
            return;
        }
        try {
            process(ctx, in);
        } finally {
            in.release();
        }
    }

    private void process(ChannelHandlerContext ctx, ByteBuf in) {
        int end = in.writerIndex();
        int i = in.readerIndex();
        int pieceStart = i;
        ByteBuf head = null;
        while (i < end) {
            switch (state) {
                case PASSTHROUGH -> i = end;
                case BODY, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = state == State.BODY ? State.REQUEST_START : State.CHUNK_END;
                    }
                }
                case CHUNK_SIZE, CHUNK_END, TRAILER -> i = scanFraming(in, i, end);
                case REQUEST_START -> {
                    byte b = in.getByte(i);
                    if (b == CR || b == LF) {
                        i++; // blank lines between requests pass as they are
                    } else {
                        HeadBytes.emit(ctx, in, pieceStart, i, head);
                        head = null;
                        pieceStart = i;
                        state = State.HEAD;
                        headLength = 0;
                        linePart = 0;
                        partLength = 0;
                    }
                }
                case HEAD -> {
                    int headEnd = scanHead(in, i, end);
                    if (headEnd >= 0) {
                        if (partial != null) {
                            partial.writeBytes(in, i, headEnd - i);
                            head = rewrite(ctx.alloc(), partial, partial.readerIndex(), partial.writerIndex());
                            partial.release();
                            partial = null;
                        } else {
                            head = rewrite(ctx.alloc(), in, i, headEnd);
                        }
                        i = headEnd;
                        pieceStart = headEnd;
                    } else if (headEnd == NEED_MORE) {
                        if (partial == null) {
                            partial = ctx.alloc().buffer(Math.min(MAX_HEAD, Math.max(256, 2 * (end - i))));
                        }
                        partial.writeBytes(in, i, end - i);
                        i = end;
                        pieceStart = end;
                    } else {
                        // Not a request head after all, or too long: what was held goes first, as it came.
                        state = State.PASSTHROUGH;
                        if (partial != null) {
                            ctx.fireChannelRead(partial);
                            partial = null;
                        }
                        i = end;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        HeadBytes.emit(ctx, in, pieceStart, end, head);
    }

    /**
     * Scans head bytes from {@code i}, checking the request line ({@code method SP target SP HTTP/1.x}) as it
     * comes so that other protocols are recognised at once. Returns the index after the head's blank line,
     * {@link #NEED_MORE}, or {@link #NOT_A_HEAD}.
     */
    private int scanHead(ByteBuf in, int i, int end) {
        for (; i < end; i++) {
            if (++headLength > MAX_HEAD) {
                return NOT_A_HEAD;
            }
            byte b = in.getByte(i);
            switch (linePart) {
                case 0 -> { // method
                    if (b == SP && partLength > 0) {
                        linePart = 1;
                        partLength = 0;
                    } else if (HeadBytes.isTokenChar(b)) {
                        partLength++;
                    } else {
                        return NOT_A_HEAD;
                    }
                }
                case 1 -> { // request target
                    if (b == SP && partLength > 0) {
                        linePart = 2;
                        partLength = 0;
                    } else if ((b & 0xFF) > SP && b != 0x7F) {
                        partLength++;
                    } else {
                        return NOT_A_HEAD;
                    }
                }
                case 2 -> { // HTTP/1.<digit>
                    if (partLength < VERSION.length ? b != VERSION[partLength] : b < '0' || b > '9') {
                        return NOT_A_HEAD;
                    }
                    if (++partLength > VERSION.length) {
                        linePart = 3;
                    }
                }
                case 3 -> { // end of the request line
                    if (b == LF) {
                        linePart = 4;
                        partLength = 0;
                    } else if (b != CR) {
                        return NOT_A_HEAD;
                    }
                }
                default -> { // header lines, until an empty one
                    if (b == LF) {
                        if (partLength == 0) {
                            return i + 1;
                        }
                        partLength = 0;
                    } else if (b != CR) {
                        partLength++;
                    }
                }
            }
        }
        return NEED_MORE;
    }

    /** Scans chunk size lines, the CRLF after chunk data, and trailers; returns where it stopped. */
    private int scanFraming(ByteBuf in, int i, int end) {
        for (; i < end; i++) {
            byte b = in.getByte(i);
            switch (state) {
                case CHUNK_SIZE -> {
                    if (b == LF) {
                        if (chunkDigits == 0) {
                            state = State.PASSTHROUGH;
                            return end;
                        }
                        if (chunkSize == 0) {
                            state = State.TRAILER;
                            trailerLineLength = 0;
                        } else {
                            state = State.CHUNK_DATA;
                            remaining = chunkSize;
                        }
                        return i + 1;
                    }
                    if (chunkExtension || b == CR) {
                        continue;
                    }
                    int digit = Character.digit(b, 16);
                    if (digit >= 0 && chunkDigits >= 0) {
                        chunkSize = chunkSize * 16 + digit;
                        chunkDigits++;
                        if (chunkSize > MAX_CHUNK) {
                            state = State.PASSTHROUGH;
                            return end;
                        }
                    } else if ((b == ';' || b == SP || b == '\t') && chunkDigits > 0) {
                        chunkExtension = true;
                    } else {
                        state = State.PASSTHROUGH;
                        return end;
                    }
                }
                case CHUNK_END -> {
                    if (b == LF) {
                        startChunkSize();
                        return i + 1;
                    }
                    if (b != CR) {
                        state = State.PASSTHROUGH;
                        return end;
                    }
                }
                default -> { // TRAILER
                    if (b == LF) {
                        if (trailerLineLength == 0) {
                            state = State.REQUEST_START;
                            return i + 1;
                        }
                        trailerLineLength = 0;
                    } else if (b != CR && ++trailerLineLength > MAX_HEAD) {
                        state = State.PASSTHROUGH;
                        return end;
                    }
                }
            }
        }
        return end;
    }

    private void startChunkSize() {
        state = State.CHUNK_SIZE;
        chunkSize = 0;
        chunkDigits = 0;
        chunkExtension = false;
    }

    /**
     * Writes the head in {@code src[from, to)} with the forwarding headers to a new buffer, and sets the state for
     * what follows it from its framing headers.
     */
    private ByteBuf rewrite(ByteBufAllocator alloc, ByteBuf src, int from, int to) {
        int requestLineEnd = src.indexOf(from, to, LF) + 1;
        boolean connect = HeadBytes.startsWith(src, from, "CONNECT ");
        int lastForwardedFor = -1;
        boolean upgrade = false;
        boolean chunked = false;
        boolean transferEncoding = false;
        long contentLength = -1;
        boolean badLength = false;
        int blankLine = -1;
        for (int line = requestLineEnd; line < to; ) {
            int lf = src.indexOf(line, to, LF);
            int contentEnd = lf > line && src.getByte(lf - 1) == CR ? lf - 1 : lf;
            if (HeadBytes.onlyCarriageReturns(src, line, lf)) {
                // The same rule as the scan that found the end of the head.
                blankLine = line;
                break;
            }
            if (HeadBytes.isHeader(src, line, contentEnd, "x-forwarded-for")) {
                lastForwardedFor = line;
            } else if (HeadBytes.isHeader(src, line, contentEnd, "upgrade")) {
                upgrade = true;
            } else if (HeadBytes.isHeader(src, line, contentEnd, "transfer-encoding")) {
                transferEncoding = true;
                chunked = HeadBytes.endsWithChunked(src, line, contentEnd);
            } else if (HeadBytes.isHeader(src, line, contentEnd, "content-length")) {
                long value = HeadBytes.parseLength(src, line + "content-length:".length(), contentEnd);
                badLength |= value < 0 || contentLength >= 0 && value != contentLength;
                contentLength = value;
            }
            line = lf + 1;
        }

        ByteBuf out = alloc.buffer(to - from + XFP.length + proto.length + XFF.length
                + (client == null ? 0 : client.length) + 8);
        out.writeBytes(src, from, requestLineEnd - from);
        boolean dropping = false;
        for (int line = requestLineEnd; line < blankLine; ) {
            int lf = src.indexOf(line, to, LF);
            int contentEnd = lf > line && src.getByte(lf - 1) == CR ? lf - 1 : lf;
            byte first = src.getByte(line);
            boolean continuation = first == SP || first == '\t';
            if (!continuation) {
                dropping = HeadBytes.isHeader(src, line, contentEnd, "x-forwarded-proto");
            }
            if (dropping) {
                // The balancer knows how the client came in: the client's own claim goes.
            } else if (line == lastForwardedFor && client != null) {
                int valueEnd = contentEnd;
                while (valueEnd > line && (src.getByte(valueEnd - 1) == SP || src.getByte(valueEnd - 1) == '\t')) {
                    valueEnd--;
                }
                out.writeBytes(src, line, valueEnd - line).writeBytes(APPEND).writeBytes(client).writeBytes(CRLF);
            } else {
                out.writeBytes(src, line, lf + 1 - line);
            }
            line = lf + 1;
        }
        out.writeBytes(XFP).writeBytes(proto).writeBytes(CRLF);
        if (lastForwardedFor < 0 && client != null) {
            out.writeBytes(XFF).writeBytes(client).writeBytes(CRLF);
        }
        out.writeBytes(src, blankLine, to - blankLine);

        if (connect || upgrade) {
            state = State.PASSTHROUGH; // another protocol may follow the head
        } else if (transferEncoding) {
            if (chunked) {
                startChunkSize();
            } else {
                state = State.PASSTHROUGH; // the body runs to the end of the connection
            }
        } else if (badLength) {
            state = State.PASSTHROUGH;
        } else if (contentLength > 0) {
            state = State.BODY;
            remaining = contentLength;
        } else {
            state = State.REQUEST_START;
        }
        return out;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && partial != null) {
            // The client stopped sending in the middle of a head: relay what it sent, as it is.
            ctx.fireChannelRead(partial);
            partial = null;
            state = State.PASSTHROUGH;
            ctx.fireChannelReadComplete();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
