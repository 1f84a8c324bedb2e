package dev.pen.netty.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether http mode is on, read once per accepted connection: a change applies to connections accepted after it,
 * so no connection is switched in the middle of a request. Counts the connections it refused. Thread-safe.
 */
public final class HttpMode {
    /** Set on a client channel in http mode: its request side, which the backend channel's framing reports to. */
    private static final AttributeKey<ForwardedHeadersHandler> REQUESTS = AttributeKey.valueOf("pen.http.requests");

    private final LongAdder rejected = new LongAdder();
    private volatile boolean on;

    public HttpMode(boolean on) {
        this.on = on;
    }

    public boolean on() {
        return on;
    }

    public void set(boolean value) {
        on = value;
    }

    /** Connections answered 400 or 431 and closed since the balancer started. */
    public long rejected() {
        return rejected.sum();
    }

    /** The request handler for a newly accepted client channel, or {@code null} while http mode is off. */
    public ChannelHandler newHandler(Channel client, boolean tls) {
        if (!on) {
            return null;
        }
        ForwardedHeadersHandler handler = ForwardedHeadersHandler.forChannel(tls, rejected);
        client.attr(REQUESTS).set(handler);
        return handler;
    }

    /**
     * The response framing for a new backend channel of {@code client}, or {@code null} when {@code client} is not
     * in http mode (which then costs one attribute lookup per backend connect).
     */
    public static ChannelHandler responseFraming(Channel client) {
        ForwardedHeadersHandler requests = client.hasAttr(REQUESTS) ? client.attr(REQUESTS).get() : null;
        return requests == null ? null : new ResponseFramer(requests);
    }
}
