package dev.pen.netty.internal.relay;

import dev.pen.netty.internal.proxy.ProxyHeaderEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of a relayed connection: starts selection on accept (with TLS, once the handshake is done, so
 * that a client that never finishes it holds no backend connection; from a trusted upstream balancer, once its
 * PROXY header has named the client) and passes what it reads on.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientHandler.class);
    private final RelayContext context;
    private final boolean plain;
    private final boolean tls;
    private final boolean proxyHeader;
    private RelayConnection connection;

    ClientHandler(RelayContext context, boolean plain, boolean tls, boolean proxyHeader) {
        this.context = context;
        this.plain = plain;
        this.tls = tls;
        this.proxyHeader = proxyHeader;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context.configure(ctx.channel());
        connection = new RelayConnection(context, ctx.channel(), plain && context.splice());
        if (!tls && !proxyHeader) {
            connection.start();
        } else {
            // Reading stays off: the TLS handler and the PROXY header's decoder ask for each read they need.
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            connection.fromClient(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        connection.clientReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.clientWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            connection.clientInputShutdown();
        } else if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            connection.start();
        } else if (evt == ProxyHeaderEvent.RECEIVED && !tls) {
            connection.start(); // with TLS, the handshake that follows the header starts the connection
        } else if (evt instanceof ProxyHeaderEvent.Refused refused) {
            connection.refuseProxyHeader(refused.reason());
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.clientInactive();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("client {}: {}", ctx.channel().remoteAddress(), cause.toString(), cause);
        ctx.close();
    }
}
