package dev.pen.netty.internal.relay;

import dev.pen.netty.internal.http.HttpMode;
import dev.pen.netty.internal.tls.TlsTerminator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of an accepted client connection: TLS termination when configured, http mode's header rewriting
 * when on at accept, and the relay.
 */
@ChannelHandler.Sharable
public final class RelayInitializer extends ChannelInitializer<Channel> {
    private final RelayContext context;
    private final TlsTerminator tls;
    private final HttpMode http;

    public RelayInitializer(RelayContext context) {
        this(context, null, new HttpMode(false));
    }

    /** {@code tls} may be {@code null} for plain TCP. */
    public RelayInitializer(RelayContext context, TlsTerminator tls, HttpMode http) {
        this.context = context;
        this.tls = tls;
        this.http = http;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch));
        }
        ChannelHandler forwarded = http.newHandler(ch, tls != null);
        if (forwarded != null) {
            ch.pipeline().addLast("http", forwarded);
        }
        // Only a connection whose bytes nothing in the pipeline needs to see may be spliced.
        ch.pipeline().addLast("relay", new ClientHandler(context, tls == null && forwarded == null));
    }
}
