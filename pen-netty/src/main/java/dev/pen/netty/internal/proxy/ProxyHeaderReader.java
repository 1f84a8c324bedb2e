package dev.pen.netty.internal.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Takes the PROXY header a trusted upstream balancer sends first, as Netty's {@link HAProxyMessageDecoder} (just
 * before this handler) decodes it: records the client it names in {@link ClientAddresses} and tells the relay
 * ({@link ProxyHeaderEvent#RECEIVED}), then leaves the pipeline. A malformed header, bytes that are no header, or
 * no complete header within the time limit are told as {@link ProxyHeaderEvent.Refused}. A {@code LOCAL} header
 * (the upstream balancer's own check) or an {@code UNKNOWN} one keeps the socket's addresses, as the protocol says.
 */
public final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
    /** The decoder's name in the client pipeline; this handler follows it. */
    public static final String DECODER = "proxy-decoder";

    private final long timeoutNanos;
    private ScheduledFuture<?> timeout;
    private boolean done;

    /** @param timeoutNanos how long after the accept the whole header must have arrived */
    public ProxyHeaderReader(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    /** The decoder this handler reads from: v1 headers up to 108 bytes, v2 up to the decoder's own bound. */
    public static HAProxyMessageDecoder newDecoder() {
        return new HAProxyMessageDecoder(true);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> refuse(ctx, "no PROXY header within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"), timeoutNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (done) {
                return;
            }
            done = true;
            cancelTimeout();
            ClientAddresses named = addresses(header);
            if (named != null) {
                ClientAddresses.set(ctx.channel(), named);
            }
        } finally {
            ReferenceCountUtil.release(header);
        }
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(ProxyHeaderEvent.RECEIVED);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            // The decoder may fail again as the refused connection closes: the first failure is the one told.
            refuse(ctx, "bad PROXY header: " + cause.getMessage());
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimeout();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (done) {
            return;
        }
        done = true;
        cancelTimeout();
        ctx.fireUserEventTriggered(new ProxyHeaderEvent.Refused(reason));
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    /**
     * The addresses a decoded header names, or {@code null} when it names none (a {@code LOCAL} command, an
     * {@code UNKNOWN} or Unix socket family): the socket's addresses then stand.
     */
    static ClientAddresses addresses(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
            return null;
        }
        return new ClientAddresses(address(header.sourceAddress(), header.sourcePort()),
                address(header.destinationAddress(), header.destinationPort()));
    }

    private static InetSocketAddress address(String literal, int port) {
        // The decoder has checked the literal; this parses it without any name lookup.
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(literal);
        if (a == null) {
            throw new DecoderException("invalid address in PROXY header: " + literal);
        }
        return new InetSocketAddress(a, port);
    }
}
