package dev.pen.netty.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;

/**
 * Whether http mode is on, read once per accepted connection: a change applies to connections accepted after it,
 * so no connection is switched in the middle of a request. Thread-safe.
 */
public final class HttpMode {
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

    /** The rewriting handler for a newly accepted client channel, or {@code null} while http mode is off. */
    public ChannelHandler newHandler(Channel client, boolean tls) {
        if (!on) {
            return null;
        }
        String address = client.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
        return new ForwardedHeadersHandler(address, tls);
    }
}
