package dev.pen.netty.internal.proxy;

import dev.pen.api.ProxyProtocol;
import io.netty.channel.Channel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Writes the PROXY header a backend connection starts with, encoded by Netty's {@link HAProxyMessageEncoder}: TCP4
 * or TCP6 with the client and the address it connected to; {@code UNKNOWN} when they are not both IP addresses of
 * one family (a client on a Unix socket), which tells the backend to use the connection's own addresses.
 */
public final class ProxyHeaderWriter {
    private static final String ENCODER = "proxy-encoder";

    private ProxyHeaderWriter() {
    }

    /**
     * Writes and flushes the header on {@code backend}, before anything else is written to it; nothing for
     * {@link ProxyProtocol#OFF}. Call on the backend's event loop once it is connected.
     */
    public static void write(Channel backend, ProxyProtocol version, ClientAddresses client) {
        if (version == ProxyProtocol.OFF) {
            return;
        }
        // The encoder is in the pipeline only for this one write, which it encodes at once on this loop.
        backend.pipeline().addFirst(ENCODER, HAProxyMessageEncoder.INSTANCE);
        try {
            backend.writeAndFlush(message(version, client.source(), client.destination()), backend.voidPromise());
        } finally {
            backend.pipeline().remove(ENCODER);
        }
    }

    /** The header naming {@code source} as the client of {@code destination}. */
    static HAProxyMessage message(ProxyProtocol version, SocketAddress source, SocketAddress destination) {
        HAProxyProtocolVersion v = version == ProxyProtocol.V1 ? HAProxyProtocolVersion.V1 : HAProxyProtocolVersion.V2;
        if (source instanceof InetSocketAddress s && destination instanceof InetSocketAddress d
                && s.getAddress() != null && d.getAddress() != null
                && (s.getAddress() instanceof Inet4Address) == (d.getAddress() instanceof Inet4Address)) {
            HAProxyProxiedProtocol family = s.getAddress() instanceof Inet4Address
                    ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6;
            return new HAProxyMessage(v, HAProxyCommand.PROXY, family, literal(s.getAddress()),
                    literal(d.getAddress()), s.getPort(), d.getPort());
        }
        return new HAProxyMessage(v, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
    }

    private static String literal(InetAddress a) {
        String text = a.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}
