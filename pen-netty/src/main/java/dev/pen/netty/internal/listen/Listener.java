package dev.pen.netty.internal.listen;

import dev.pen.api.Address;
import dev.pen.api.BalancerConfig;
import dev.pen.netty.internal.relay.RelayContext;
import dev.pen.netty.internal.relay.RelayInitializer;
import dev.pen.netty.internal.transport.ChosenTransport;
import dev.pen.netty.internal.udp.UdpRelay;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancer's listening socket: bound from a configuration's listen address, backlog and reuse-port setting,
 * and moved to a new address without closing the connections already accepted. Not thread-safe: the balancer
 * binds and moves it under its own lock.
 */
public final class Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private final ChosenTransport transport;
    private final EventLoopGroup group;
    private final RelayContext context;
    private final UdpRelay udp;
    private Channel channel;
    private volatile boolean closed;

    /** {@code udp} is {@code null} for TCP. */
    public Listener(ChosenTransport transport, EventLoopGroup group, RelayContext context, UdpRelay udp) {
        this.transport = transport;
        this.group = group;
        this.context = context;
        this.udp = udp;
    }

    /** The bound channel, or {@code null} before {@link #bind}. */
    public Channel channel() {
        return channel;
    }

    /**
     * Binds the listener of {@code config}.
     *
     * @throws IllegalArgumentException when the listen host cannot be resolved
     * @throws IllegalStateException when the address cannot be bound, with the address and the cause
     */
    public void bind(BalancerConfig config) {
        channel = open(config.listen(), config);
        LOG.debug("listening on {}", channel.localAddress());
    }

    /**
     * Moves the listener from {@code current}'s to the address, backlog and reuse-port setting of {@code next};
     * connections already
     * accepted carry on. The new socket is bound before the old one is closed; where they cannot both be bound
     * (the same port, a UDP listener, a socket path), the old one is closed first and bound again if the new one
     * fails, so the balancer is never left without a listener that it had.
     *
     * @throws IllegalArgumentException or IllegalStateException when the new one cannot be bound; the old one
     *     then still listens
     */
    public void move(BalancerConfig current, BalancerConfig next) {
        Channel old = channel;
        SocketAddress was = old.localAddress();
        boolean sameAddress = next.listen().equals(current.listen());
        if (!sameAddress && udp == null && !next.listen().isUnix() && !ChosenTransport.isUnix(was)
                && next.listen().port() != ((InetSocketAddress) was).getPort()) {
            Channel fresh = open(next.listen(), next);
            channel = fresh;
            old.close().syncUninterruptibly();
            return;
        }
        // The same address keeps its port (one the system chose, too); a bad host is refused before anything closes.
        SocketAddress target = sameAddress ? was : socketAddress(next.listen());
        old.close().syncUninterruptibly();
        try {
            channel = open(target, next.listen(), next);
        } catch (RuntimeException e) {
            try {
                channel = open(was, next.listen(), next);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
                LOG.error("listener lost: {} could not be bound, nor {} again", next.listen(), was);
            }
            throw e;
        }
    }

    private Channel open(Address listen, BalancerConfig config) {
        return open(socketAddress(listen), listen, config);
    }

    private Channel open(SocketAddress address, Address shown, BalancerConfig config) {
        if (udp != null) {
            Channel ch = bound(udp.listenerBootstrap(group, config.reusePort(), address).bind(address),
                    shown + " (udp)");
            udp.listening(ch);
            return ch;
        }
        if (ChosenTransport.isUnix(address)) {
            try {
                Files.deleteIfExists(Path.of(ChosenTransport.unixPath(address)));
            } catch (IOException e) {
                throw new IllegalStateException("can't remove old socket " + ChosenTransport.unixPath(address)
                        + ": " + e.getMessage(), e);
            }
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channelFactory(transport.serverChannels(ChosenTransport.Family.of(address)))
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .option(ChannelOption.RECVBUF_ALLOCATOR, context.gate().allocator())
                .handler(context.gate())
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new RelayInitializer(context));
        if (!ChosenTransport.isUnix(address)) {
            b.option(ChannelOption.SO_REUSEADDR, true);
            if (config.reusePort()) {
                transport.reusePort(b);
            }
        }
        return bound(b.bind(address), shown.toString());
    }

    /** The channel of {@code bind} once bound; an {@link IllegalStateException} naming the address if not. */
    private static Channel bound(ChannelFuture bind, String shown) {
        ChannelFuture f = bind.awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            throw new IllegalStateException("can't bind local address " + shown + ": "
                    + (cause.getMessage() != null ? cause.getMessage() : cause.toString()), cause);
        }
        return f.channel();
    }

    /**
     * Closes the listener and removes its socket file, if it has one; only the first call does anything, so that
     * a socket file another process has bound since is left alone.
     */
    public void close() {
        Channel ch = channel;
        if (ch == null || closed) {
            return;
        }
        closed = true;
        ch.close().syncUninterruptibly();
        if (transport.kind() == dev.pen.api.Transport.NIO && !ch.eventLoop().inEventLoop()) {
            awaitSelectorPass(ch);
        }
        if (ChosenTransport.isUnix(ch.localAddress())) {
            try {
                Files.deleteIfExists(Path.of(ChosenTransport.unixPath(ch.localAddress())));
            } catch (IOException e) {
                LOG.debug("can't remove socket file: {}", e.toString());
            }
        }
    }

    /**
     * The JDK closes a socket registered with a selector only when that selector next selects, so for a moment
     * after its close the NIO listener still takes clients into its queue, to be reset. Waiting for two tasks,
     * each due a little later, lets the event loop select in between; then the port refuses new clients.
     */
    private static void awaitSelectorPass(Channel ch) {
        for (int i = 0; i < 2; i++) {
            ch.eventLoop().schedule(() -> { }, 1, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    private SocketAddress socketAddress(Address a) {
        if (a.isUnix()) {
            return transport.unixAddress(a.path());
        }
        if (a.host() == null) {
            return new InetSocketAddress(a.port());
        }
        return new InetSocketAddress(lookup(a.host()), a.port());
    }

    /**
     * Resolves {@code host} on the calling thread.
     *
     * @throws IllegalArgumentException naming a host that cannot be resolved, in pen's words
     */
    public static InetAddress lookup(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown or invalid address [" + host + "]");
        }
    }
}
