package dev.pen.netty.internal.http;

import static dev.pen.netty.internal.http.HeadBytes.CR;
import static dev.pen.netty.internal.http.HeadBytes.LF;

import dev.pen.netty.internal.proxy.ClientAddresses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * http mode for one client connection: adds {@code X-Forwarded-For} (appending the client to an existing one) and
 * {@code X-Forwarded-Proto} (replacing an existing one) to every HTTP/1.x request head, and fails closed.
 *
 * <p>Whether the connection is HTTP is decided once, from its first bytes: after any CR and LF bytes, token
 * characters and then a space or tab. Other traffic passes as it came. On an HTTP connection each request head
 * is parsed strictly ({@link RequestHead}) and its body followed (length or chunked), whatever the split of the
 * bytes into reads; a request that does not parse gets {@code 400}, a head over {@link #MAX_HEAD} gets
 * {@code 431}, after the responses to the requests before it, and the connection closes: bad bytes are never
 * passed on. Only the head being read is kept; bodies pass as slices of the buffers read, and each head starts
 * a buffer of its own so the relay's per-read log event carries the request line.
 *
 * <p>After a request that may switch protocols ({@code Upgrade} or {@code CONNECT}), further bytes are held (at
 * most {@link #MAX_HELD}) until its response, which the backend channel's {@link ResponseFramer} reports: a
 * switch makes the connection a tunnel, any other answer sends the held bytes through the parser.
 *
 * <p>Runs on the channel's event loop only; not sharable.
 */
public final class ForwardedHeadersHandler extends ChannelInboundHandlerAdapter {
    /** The largest request head passed on; a longer one is refused with 431. */
    public static final int MAX_HEAD = 64 * 1024;
    /** The most bytes held while a protocol switch awaits its answer; more are refused with 400. */
    static final int MAX_HELD = 64 * 1024;

    private static final int NEED_MORE = -1;
    private static final int NOT_HTTP = -2;

    private enum State { DETECT, REQUEST_START, HEAD, BODY, CHUNKED, HOLD, PASSTHROUGH, REJECTED }

    private byte[] client;
    /** Whether {@link #client} is looked up at the first request, once a PROXY header may have named it. */
    private boolean clientFromChannel;
    private final byte[] proto;
    private final LongAdder rejections;
    private final HeadCollector head = new HeadCollector();
    private final RequestHead request = new RequestHead();
    private final ChunkedBody chunks = new ChunkedBody();
    private final PendingRequests pending = new PendingRequests();
    private ChannelHandlerContext ctx;
    private State state = State.DETECT;
    private boolean http;
    private int leadingBlanks;
    private int methodLength;
    private long remaining;
    private ByteBuf held;
    private boolean inputEnded;
    private Rejection rejection;
    private int owedBeforeRejection;

    /**
     * @param client the client's address as {@code X-Forwarded-For} shows it, or {@code null} to add none (a Unix
     *     socket client has no address)
     * @param tls whether the client connection is TLS, which makes {@code X-Forwarded-Proto} {@code https}
     * @param rejections counts the connections refused with 400 or 431
     */
    public ForwardedHeadersHandler(String client, boolean tls, LongAdder rejections) {
        this.client = client == null ? null : client.getBytes(StandardCharsets.US_ASCII);
        this.proto = (tls ? "https" : "http").getBytes(StandardCharsets.US_ASCII);
        this.rejections = rejections;
    }

    /**
     * A handler whose client is the one the channel stands for at its first request ({@link ClientAddresses}):
     * a trusted PROXY header, read before any request, names it.
     */
    static ForwardedHeadersHandler forChannel(boolean tls, LongAdder rejections) {
        ForwardedHeadersHandler h = new ForwardedHeadersHandler(null, tls, rejections);
        h.clientFromChannel = true;
        return h;
    }

    private byte[] client() {
        if (clientFromChannel) {
            clientFromChannel = false;
            String address = ClientAddresses.of(ctx.channel()).source() instanceof InetSocketAddress inet
                    && inet.getAddress() != null ? inet.getAddress().getHostAddress() : null;
            client = address == null ? null : address.getBytes(StandardCharsets.US_ASCII);
        }
        return client;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int readable = in.readableBytes();
        if (state == State.PASSTHROUGH) {
            ctx.fireChannelRead(in);
            return;
        }
        // A read that is all body passes as the buffer itself.
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
        try {
            if (state == State.HOLD) {
                hold(in, in.readerIndex(), in.writerIndex());
            } else if (state != State.REJECTED) {
                process(in);
            }
        } finally {
            in.release();
        }
    }

    private void process(ByteBuf in) {
        int end = in.writerIndex();
        int i = in.readerIndex();
        int pieceStart = i;
        ByteBuf rewritten = null;
        while (i < end && state != State.REJECTED) {
            switch (state) {
                case BODY -> {
                    int n = (int) Math.min(remaining, end - i);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.REQUEST_START;
                    }
                }
                case CHUNKED -> {
                    i = chunks.scan(in, i, end);
                    if (i == ChunkedBody.BAD) {
                        reject(Rejection.BAD_REQUEST);
                    } else if (chunks.done()) {
                        state = State.REQUEST_START;
                    }
                }
                case REQUEST_START -> {
                    HeadBytes.emit(ctx, in, pieceStart, i, rewritten);
                    rewritten = null;
                    byte b = in.getByte(i);
                    if (pending.lastMayTunnel()) {
                        state = State.HOLD;
                        hold(in, i, end);
                        i = end;
                    } else if (b == CR || b == LF) {
                        i++; // empty lines between requests go no further: backends differ on stray CRs
                    } else {
                        state = State.HEAD;
                        head.start(0);
                    }
                    pieceStart = i;
                }
                case HEAD -> {
                    int headEnd = head.scan(in, i, end);
                    if (headEnd == HeadCollector.TOO_LONG) {
                        reject(Rejection.HEAD_TOO_LARGE);
                    } else if (headEnd == HeadCollector.NEED_MORE) {
                        head.keep(ctx.alloc(), in, pieceStart, end);
                        i = pieceStart = end;
                    } else {
                        rewritten = rewrite(in, pieceStart, headEnd);
                        i = pieceStart = headEnd;
                    }
                }
                case DETECT -> {
                    int at = detect(in, i, end);
                    if (at == NOT_HTTP) {
                        state = State.PASSTHROUGH; // every byte so far goes on as it came
                        if (head.holds()) {
                            ctx.fireChannelRead(head.take());
                        }
                    } else if (at == NEED_MORE) {
                        if (leadingBlanks + methodLength > MAX_HEAD) {
                            reject(Rejection.HEAD_TOO_LARGE);
                        } else {
                            head.keep(ctx.alloc(), in, pieceStart, end);
                            pieceStart = end;
                        }
                    } else {
                        state = State.HEAD;
                        http = true;
                        head.start(leadingBlanks + methodLength);
                    }
                    i = at < 0 ? end : at;
                }
                default -> i = end; // PASSTHROUGH, HOLD: the rest went on, or is held
            }
        }
        if (state == State.REJECTED) {
            if (rewritten != null) {
                rewritten.release(); // its request is incomplete: nothing of it goes on
            }
        } else if (state != State.HOLD) {
            HeadBytes.emit(ctx, in, pieceStart, end, rewritten);
        }
    }

    /** The index of the space or tab after the method, {@link #NEED_MORE}, or {@link #NOT_HTTP}. */
    private int detect(ByteBuf in, int i, int end) {
        for (; i < end; i++) {
            byte b = in.getByte(i);
            if (methodLength == 0 && (b == CR || b == LF)) {
                leadingBlanks++;
            } else if (HeadBytes.isTokenChar(b)) {
                methodLength++;
            } else {
                return methodLength > 0 && HeadBytes.isWhitespace(b) ? i : NOT_HTTP;
            }
        }
        return NEED_MORE;
    }

    /** The request head {@code in[from, to)} (after what {@link #head} kept) with the forwarding headers. */
    private ByteBuf rewrite(ByteBuf in, int headStart, int headEnd) {
        boolean own = head.holds();
        ByteBuf src = head.whole(in, headStart, headEnd);
        int from = src.readerIndex();
        int to = src.writerIndex();
        try {
            from += leadingBlanks; // the connection's leading empty lines go no further
            leadingBlanks = 0;
            if (!request.parse(src, from, to) || !pending.add(request.kind())) {
                reject(Rejection.BAD_REQUEST);
                return null;
            }
            if (request.chunked()) {
                chunks.start();
                state = State.CHUNKED;
            } else if (request.contentLength() > 0) {
                remaining = request.contentLength();
                state = State.BODY;
            } else {
                state = State.REQUEST_START;
            }
            return request.write(ctx.alloc(), src, from, to, client(), proto);
        } finally {
            if (own) {
                src.release();
            }
        }
    }

    private void hold(ByteBuf in, int from, int to) {
        if (held == null) {
            held = ctx.alloc().buffer(Math.min(MAX_HELD, to - from));
        }
        if (held.readableBytes() + to - from > MAX_HELD) {
            reject(Rejection.BAD_REQUEST);
        } else {
            held.writeBytes(in, from, to - from);
        }
    }

    /**
     * Stops passing bytes on; the answer goes out once every request before this one is answered (the request
     * being read counts as answered when part of it went on already).
     */
    private void reject(Rejection answer) {
        owedBeforeRejection = state == State.BODY || state == State.CHUNKED ? 1 : 0;
        state = State.REJECTED;
        rejection = answer;
        rejections.increment();
        head.release();
        releaseHeld();
        ctx.channel().config().setAutoRead(false);
        sendRejectionWhenDue();
    }

    private void sendRejectionWhenDue() {
        if (rejection != null && pending.size() <= owedBeforeRejection) {
            rejection.send(ctx);
            rejection = null;
        }
    }

    /** Whether the connection was found to be HTTP: until then the backend's bytes are not framed. */
    boolean isHttp() {
        return http;
    }

    /** The kind of the {@code k}-th request not answered yet (0 when there are fewer), for the response framing. */
    byte requestKind(int k) {
        return pending.kind(k);
    }

    /**
     * The backend's responses to the {@code answered} oldest requests ended; with {@code tunnel} the last of them
     * switched protocols. Called on this channel's event loop, from the backend channel's read.
     */
    void responsesEnded(int answered, boolean tunnel) {
        pending.remove(answered);
        if (state == State.REJECTED) {
            if (tunnel) {
                ctx.close();
            } else {
                sendRejectionWhenDue();
            }
        } else if (tunnel) {
            state = State.PASSTHROUGH;
            passHeld(held);
        } else if (state == State.HOLD && !pending.lastMayTunnel()) {
            state = State.REQUEST_START;
            ByteBuf h = held;
            held = null;
            if (h != null) {
                try {
                    process(h);
                } finally {
                    h.release();
                }
                ctx.fireChannelReadComplete();
            }
            if (state != State.HOLD) {
                tellInputEnded();
            }
        }
    }

    private void passHeld(ByteBuf h) {
        held = null;
        if (h != null) {
            ctx.fireChannelRead(h);
            ctx.fireChannelReadComplete();
        }
        tellInputEnded();
    }

    private void tellInputEnded() {
        if (inputEnded) {
            inputEnded = false;
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (state == State.HOLD) {
                inputEnded = true; // told once the held bytes have gone on
                return;
            }
            if (state == State.DETECT) {
                state = State.PASSTHROUGH; // too short to be a request: it goes on as it came
                passHeld(head.take());
            } else {
                head.release(); // a head cut short is not a request: it goes nowhere
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        head.release();
        releaseHeld();
    }

    private void releaseHeld() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
