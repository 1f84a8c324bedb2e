package dev.pen.netty.internal.proxy;

import dev.pen.api.Network;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The PROXY protocol handlers at the front of an accepted client's pipeline, while some networks are trusted to
 * send headers: a client from one of them must start with a header ({@link ProxyHeaderReader} after Netty's
 * decoder), any other must not ({@link ProxySignatureGuard}). Nothing is added while none is trusted.
 */
public final class ProxyAcceptance {
    private ProxyAcceptance() {
    }

    /**
     * Adds the handlers to {@code client}'s pipeline.
     *
     * @param trusted the networks trusted to send headers; empty: none, nothing is added
     * @param timeoutNanos how long after the accept a trusted client's header must be complete
     * @return whether the connection must wait for {@link ProxyHeaderEvent#RECEIVED} before choosing a server
     */
    public static boolean install(Channel client, List<Network> trusted, long timeoutNanos) {
        if (trusted.isEmpty()) {
            return false;
        }
        boolean fromTrusted = client.remoteAddress() instanceof InetSocketAddress inet
                && Network.anyContains(trusted, inet.getAddress());
        if (fromTrusted) {
            client.pipeline().addLast(ProxyHeaderReader.DECODER, ProxyHeaderReader.newDecoder());
            client.pipeline().addLast("proxy", new ProxyHeaderReader(timeoutNanos));
        } else {
            client.pipeline().addLast("proxy", new ProxySignatureGuard());
        }
        return fromTrusted;
    }
}
