package dev.pen.netty.internal.relay;

import dev.pen.netty.internal.proxy.ProxyAcceptance;
import dev.pen.netty.internal.tls.TlsTerminator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The pipeline of an accepted client connection: the PROXY header's reader or guard when headers are accepted
 * from some networks, TLS termination when configured, then pen's dummy reply when on at accept, or else http
 * mode's header rewriting when on at accept and the relay. The settings are read once per connection from the
 * {@link RelayContext}.
 */
@ChannelHandler.Sharable
public final class RelayInitializer extends ChannelInitializer<Channel> {
    private final RelayContext context;

    public RelayInitializer(RelayContext context) {
        this.context = context;
    }

    @Override
    protected void initChannel(Channel ch) {
        // A PROXY header comes before anything else the client sends, TLS included.
        boolean proxyHeader = ProxyAcceptance.install(ch, context.proxy().acceptFrom(),
                context.timeouts().proxyHeaderNanos());
        TlsTerminator tls = context.tls();
        if (tls != null) {
            ch.pipeline().addLast("tls", tls.newHandler(ch, context.timeouts().handshakeMillis()));
        }
        if (context.dummy()) {
            ch.pipeline().addLast("dummy", new DummyReply(context));
            return;
        }
        ChannelHandler forwarded = context.http().newHandler(ch, tls != null);
        if (forwarded != null) {
            ch.pipeline().addLast("http", forwarded);
        }
        // Only a connection whose bytes nothing in the pipeline needs to see may be spliced.
        ch.pipeline().addLast("relay", new ClientHandler(context, tls == null && forwarded == null, tls != null,
                proxyHeader));
    }
}
