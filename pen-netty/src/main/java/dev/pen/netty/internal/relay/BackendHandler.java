package dev.pen.netty.internal.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The backend side of a relayed connection: passes what it reads to the client. */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);
    private final RelayConnection connection;

    BackendHandler(RelayConnection connection) {
        this.connection = connection;
    }

    /**
     * Passes what the current backend sent to the client. epoll may still read what a server sent before it
     * reset a connect that has failed already; that channel is no longer the connection's, and its bytes go.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && ctx.channel() == connection.backendChannel()) {
            connection.fromBackend(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (ctx.channel() == connection.backendChannel()) {
            connection.backendReadComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.backendWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && ctx.channel() == connection.backendChannel()) {
            connection.backendInputShutdown();
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel() == connection.backendChannel()) {
            connection.backendInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("backend {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
