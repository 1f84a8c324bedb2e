package dev.pen.netty.internal.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Netty's {@link SniHandler} choosing from {@link ServerNames}: it reads the client's hello, waits for the name's
 * context (loaded off the event loop), and replaces itself with that context's TLS handler, stapling the name's
 * OCSP response. A refused name fails the connection.
 */
final class ServerNameHandler extends SniHandler {
    private final ServerNames names;
    private volatile ServerContext chosen;

    ServerNameHandler(ServerNames names, long handshakeTimeoutMillis) {
        // The mapping Netty's constructor asks for; lookup below, which also keeps the OCSP response, is what runs.
        super((String name, Promise<SslContext> promise) -> complete(names, name, promise), handshakeTimeoutMillis);
        this.names = names;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
        Promise<SslContext> promise = ctx.executor().newPromise();
        // The promise notifies its listeners on the channel's event loop, after chosen is set.
        names.lookup(hostname).whenComplete((context, failure) -> {
            if (failure != null) {
                promise.tryFailure(failure);
            } else {
                chosen = context;
                promise.trySuccess(context.context());
            }
        });
        return promise;
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        if (chosen != null && chosen.context() == context) {
            chosen.staple(handler);
        }
        return handler;
    }

    private static Future<SslContext> complete(ServerNames names, String name, Promise<SslContext> promise) {
        names.lookup(name).whenComplete((context, failure) -> {
            if (failure != null) {
                promise.tryFailure(failure);
            } else {
                promise.trySuccess(context.context());
            }
        });
        return promise;
    }
}
