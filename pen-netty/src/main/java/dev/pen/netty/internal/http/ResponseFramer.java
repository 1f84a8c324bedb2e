package dev.pen.netty.internal.http;

import static dev.pen.netty.internal.http.HeadBytes.CR;
import static dev.pen.netty.internal.http.HeadBytes.LF;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Reads the framing of the responses on the backend channel of an http mode connection, and passes every byte on
 * unchanged: the status line, {@code Content-Length}, chunked bodies, interim {@code 1xx} responses, no body for
 * {@code HEAD}, {@code 204} and {@code 304}, a body until the end of the connection when no length is given. It
 * tells the client side ({@link ForwardedHeadersHandler}) when responses end and when a {@code 101} (or a
 * {@code 2xx} to {@code CONNECT}) makes the connection a tunnel, after which it leaves the pipeline. A response
 * whose framing cannot be read closes the connection. Until the client side finds the connection to be HTTP, the
 * backend's bytes pass unread.
 *
 * <p>Runs on the event loop both channels share; not sharable.
 */
final class ResponseFramer extends ChannelInboundHandlerAdapter {
    private enum State { HEAD, BODY, CHUNKED, UNTIL_CLOSE, TUNNEL }

    private final ForwardedHeadersHandler requests;
    private final HeadCollector head = new HeadCollector();
    private final ChunkedBody chunks = new ChunkedBody();
    private State state = State.HEAD;
    private boolean inHead;
    private long remaining;
    private int ended;
    private boolean tunnel;

    ResponseFramer(ForwardedHeadersHandler requests) {
        this.requests = requests;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Other protocols may speak first, and are relayed as they are.
        if (!(msg instanceof ByteBuf in) || state == State.UNTIL_CLOSE || !requests.isHttp()) {
            ctx.fireChannelRead(msg);
            return;
        }
        int readable = in.readableBytes();
        if (state == State.BODY && remaining > readable) {
            remaining -= readable;
            ctx.fireChannelRead(in);
            return;
        }
        if (state == State.CHUNKED && chunks.dataLeft() > readable) {
            chunks.skipData(readable);
            ctx.fireChannelRead(in);
            return;
        }
        ended = 0;
        tunnel = false;
        boolean framed = scan(ctx, in);
        int answered = ended;
        boolean switched = tunnel;
        ctx.fireChannelRead(in);
        if (!framed) {
            ctx.close();
            return;
        }
        if (answered > 0) {
            requests.responsesEnded(answered, switched);
        }
        if (switched) {
            ctx.pipeline().remove(this);
        }
    }

    private boolean scan(ChannelHandlerContext ctx, ByteBuf in) {
        int end = in.writerIndex();
        int i = in.readerIndex();
        int headStart = i;
        while (i < end) {
            switch (state) {
                case BODY -> {
                    int n = (int) Math.min(remaining, end - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        responseEnded();
                    }
                }
                case CHUNKED -> {
                    i = chunks.scan(in, i, end);
                    if (i == ChunkedBody.BAD) {
                        return false;
                    }
                    if (chunks.done()) {
                        responseEnded();
                    }
                }
                case HEAD -> {
                    if (!inHead) {
                        byte b = in.getByte(i);
                        if (b == CR || b == LF) {
                            i++; // an empty line some servers leave after a body
                            continue;
                        }
                        inHead = true;
                        head.start(0);
                        headStart = i;
                    }
                    int headEnd = head.scan(in, i, end);
                    if (headEnd == HeadCollector.TOO_LONG) {
                        return false;
                    }
                    if (headEnd == HeadCollector.NEED_MORE) {
                        head.keep(ctx.alloc(), in, headStart, end);
                        i = end;
                    } else {
                        inHead = false;
                        if (!responseHead(in, headStart, headEnd)) {
                            return false;
                        }
                        i = headEnd;
                    }
                }
                default -> i = end; // UNTIL_CLOSE, TUNNEL: the rest is not framed
            }
        }
        return true;
    }

    private boolean responseHead(ByteBuf in, int from, int to) {
        boolean own = head.holds();
        ByteBuf src = head.whole(in, from, to);
        try {
            return frame(src, src.readerIndex(), src.writerIndex());
        } finally {
            if (own) {
                src.release();
            }
        }
    }

    /** Sets the state for what follows the response head {@code src[from, to)}; false when it is not one. */
    private boolean frame(ByteBuf src, int from, int to) {
        if (to - from < 13 || !HeadBytes.matches(src, from, from + 7, "HTTP/1.") || src.getByte(from + 8) != ' ') {
            return false;
        }
        long status = HeadBytes.parseLength(src, from + 9, from + 12);
        byte kind = requests.requestKind(ended);
        if (status < 100) {
            return false;
        }
        if (status == 101 && (kind & PendingRequests.UPGRADE) != 0
                || status / 100 == 2 && (kind & PendingRequests.CONNECT) != 0) {
            ended++;
            tunnel = true;
            state = State.TUNNEL;
            return true;
        }
        if (status == 101) {
            state = State.UNTIL_CLOSE; // a switch nobody asked for: what follows cannot be framed
            return true;
        }
        if (status < 200) {
            return true; // an interim response: the final one follows
        }
        if ((kind & PendingRequests.HEAD) != 0 || status == 204 || status == 304) {
            responseEnded();
            return true;
        }
        return frameBody(src, src.indexOf(from, to, LF) + 1, to);
    }

    private boolean frameBody(ByteBuf src, int line, int to) {
        long length = -1;
        boolean transferEncoding = false;
        boolean chunked = false;
        for (int lf; (lf = src.indexOf(line, to, LF)) >= 0; line = lf + 1) {
            int end = HeadBytes.contentEnd(src, line, lf);
            int colon = src.indexOf(line, end, (byte) ':');
            if (colon < 0) {
                continue;
            }
            int nameEnd = HeadBytes.trimWhitespace(src, line, colon);
            int value = HeadBytes.skipWhitespace(src, colon + 1, end);
            int valueEnd = HeadBytes.trimWhitespace(src, value, end);
            if (HeadBytes.equalsIgnoreCase(src, line, nameEnd, "transfer-encoding")) {
                transferEncoding = true;
                int lastComma = src.forEachByteDesc(value, valueEnd - value, b -> b != ',');
                int last = HeadBytes.skipWhitespace(src, lastComma < 0 ? value : lastComma + 1, valueEnd);
                chunked = HeadBytes.equalsIgnoreCase(src, last, valueEnd, "chunked");
            } else if (HeadBytes.equalsIgnoreCase(src, line, nameEnd, "content-length")) {
                long n = HeadBytes.parseLength(src, value, valueEnd);
                if (n < 0 || length >= 0 && n != length) {
                    return false;
                }
                length = n;
            }
        }
        if (chunked) {
            chunks.start();
            state = State.CHUNKED;
        } else if (transferEncoding || length < 0) {
            state = State.UNTIL_CLOSE;
        } else if (length == 0) {
            responseEnded();
        } else {
            remaining = length;
            state = State.BODY;
        }
        return true;
    }

    private void responseEnded() {
        ended++;
        state = State.HEAD;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        head.release();
    }
}
