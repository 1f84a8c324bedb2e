package dev.pen.netty.internal.proxy;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;

/**
 * The addresses a client connection stands for: the peer and the local address of its socket, or, when a trusted
 * upstream balancer sent a PROXY header, the client and the address that header names. Set once, when the header
 * has been read, before the connection chooses a server; read by the relay, which keeps them for its life.
 *
 * @param source the client
 * @param destination the address the client connected to
 */
public record ClientAddresses(SocketAddress source, SocketAddress destination) {
    private static final AttributeKey<ClientAddresses> KEY = AttributeKey.valueOf("pen.proxy.client");

    /** The addresses {@code client} stands for: those a PROXY header named, else its socket's. */
    public static ClientAddresses of(Channel client) {
        ClientAddresses named = client.hasAttr(KEY) ? client.attr(KEY).get() : null;
        return named != null ? named : new ClientAddresses(client.remoteAddress(), client.localAddress());
    }

    /** Records the addresses a trusted PROXY header named for {@code client}. */
    static void set(Channel client, ClientAddresses addresses) {
        client.attr(KEY).set(addresses);
    }
}
