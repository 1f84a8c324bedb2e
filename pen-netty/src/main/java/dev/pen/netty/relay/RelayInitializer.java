package dev.pen.netty.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/** The pipeline of an accepted client connection: one handler, which relays. */
@ChannelHandler.Sharable
public final class RelayInitializer extends ChannelInitializer<Channel> {
    private final RelayContext context;

    public RelayInitializer(RelayContext context) {
        this.context = context;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast("relay", new ClientHandler(context));
    }
}
