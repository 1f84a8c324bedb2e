package dev.pen.netty.internal.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * One http mode connection without sockets: the client side's handler on one embedded channel (what it passes on
 * is what the backend would get; what it writes is what the client would get), and the response framing on
 * another (fed what the backend answers). Text is ISO-8859-1, so every byte value round-trips.
 */
final class HttpExchange implements AutoCloseable {
    static final String CLIENT = "10.0.0.7";

    final LongAdder rejected = new LongAdder();
    final ForwardedHeadersHandler handler = new ForwardedHeadersHandler(CLIENT, false, rejected);
    final EmbeddedChannel client = new EmbeddedChannel(handler);
    final EmbeddedChannel backend = new EmbeddedChannel(new ResponseFramer(handler));

    /** The client sends {@code reads}, one read each. */
    HttpExchange send(String... reads) {
        for (String r : reads) {
            client.writeInbound(bytes(r));
        }
        return this;
    }

    /** The backend answers {@code text}; returns what reaches the client side from it, which must be unchanged. */
    String answer(String text) {
        backend.writeInbound(bytes(text));
        return drain(backend, true);
    }

    /** What the handler passed on towards the backend so far. */
    String toBackend() {
        return drain(client, true);
    }

    /** What the handler wrote to the client itself (a rejection). */
    String toClient() {
        return drain(client, false);
    }

    static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static String drain(EmbeddedChannel ch, boolean inbound) {
        StringBuilder text = new StringBuilder();
        for (Object m; (m = inbound ? ch.readInbound() : ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            text.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return text.toString();
    }

    @Override
    public void close() {
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
    }
}
