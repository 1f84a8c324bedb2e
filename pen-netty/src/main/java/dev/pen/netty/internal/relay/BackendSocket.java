package dev.pen.netty.internal.relay;

import dev.pen.api.BalancerConfig;
import dev.pen.netty.internal.transport.ChosenTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a backend connection is opened: SO_KEEPALIVE (pen's {@code keepalive}), then the local address, which is
 * pen's {@code source} when set, else the client's own with {@code transparent}, then the connect. As in pen, a
 * local address that cannot be taken is reported and the connect goes ahead from the system's choice: the server
 * is not at fault, so it is not blacklisted for it.
 */
final class BackendSocket {
    private static final Logger LOG = LoggerFactory.getLogger(BackendSocket.class);

    /** The settings of backend sockets under one configuration. */
    record Options(boolean keepAlive, InetAddress source, boolean transparent) {
        static final Options NONE = new Options(false, null, false);

        static Options of(BalancerConfig c) {
            return new Options(c.keepAlive(), c.sourceAddress(), c.transparent());
        }
    }

    /** The first failure of each kind is a warning, later ones debug lines: one a connection would flood. */
    private final AtomicBoolean bindWarned = new AtomicBoolean();
    private final AtomicBoolean transparentWarned = new AtomicBoolean();
    private final ChannelOption<Boolean> ipTransparent;

    BackendSocket(ChosenTransport transport) {
        this.ipTransparent = transport.ipTransparent();
    }

    /**
     * Checks that {@code transport} can connect from a client's address here: it must have IP_TRANSPARENT and the
     * process the right to set it.
     *
     * @throws IllegalArgumentException naming why not and what is expected
     */
    static void checkTransparent(ChosenTransport transport) {
        ChannelOption<Boolean> option = transport.ipTransparent();
        String kind = transport.kind().name().toLowerCase(java.util.Locale.ROOT);
        if (option == null) {
            throw new IllegalArgumentException("transparent: the " + kind + " transport has no IP_TRANSPARENT "
                    + "(expected epoll or io_uring, on Linux)");
        }
        Channel probe;
        try {
            probe = transport.socketChannel().getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("transparent: can't open a " + kind + " socket: " + e, e);
        }
        try {
            probe.config().setOption(option, true);
        } catch (ChannelException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("transparent: can't set IP_TRANSPARENT: " + cause.getMessage()
                    + " (expected the capability CAP_NET_ADMIN or CAP_NET_RAW)");
        } finally {
            probe.unsafe().closeForcibly();
        }
    }

    /**
     * Connects {@code ch}, registered and on its event loop, to {@code target} for a client at {@code client},
     * with {@code o}'s settings; the future completes when the connect does.
     */
    ChannelFuture connect(Channel ch, SocketAddress target, SocketAddress client, Options o) {
        if (ChosenTransport.isUnix(target)) {
            return ch.connect(target);
        }
        if (o.keepAlive()) {
            ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        }
        InetSocketAddress local = null;
        if (o.source() != null) {
            local = new InetSocketAddress(o.source(), 0);
        } else if (o.transparent()) {
            local = spoofed(ch, target, client);
        }
        if (local == null) {
            return ch.connect(target);
        }
        ChannelPromise connected = ch.newPromise();
        InetSocketAddress from = local;
        ch.bind(from).addListener(bound -> {
            if (!bound.isSuccess()) {
                report(bindWarned, "can't connect from {} (connecting from the system's choice): {}", from,
                        bound.cause());
            }
            ch.connect(target, connected);
        });
        return connected;
    }

    /**
     * The client's address with port 0, once IP_TRANSPARENT is set on {@code ch}; null (with a diagnostic) where
     * it cannot be: a client or server that is not IPv4 (as in pen), or the option refused.
     */
    private InetSocketAddress spoofed(Channel ch, SocketAddress target, SocketAddress client) {
        if (!(client instanceof InetSocketAddress c && c.getAddress() instanceof Inet4Address)
                || !(target instanceof InetSocketAddress t && t.getAddress() instanceof Inet4Address)) {
            LOG.debug("transparent: no transparency for client {} to server {} (IPv4 only)", client, target);
            return null;
        }
        if (ipTransparent == null) {
            report(transparentWarned, "transparent: the NIO transport has no IP_TRANSPARENT; connecting from the "
                    + "system's choice ({}, {})", client, "expected epoll or io_uring");
            return null;
        }
        try {
            ch.config().setOption(ipTransparent, true);
        } catch (ChannelException e) {
            report(transparentWarned, "transparent: can't set IP_TRANSPARENT for client {} (needs CAP_NET_ADMIN or "
                    + "CAP_NET_RAW): {}", client, e.getCause() != null ? e.getCause() : e);
            return null;
        }
        return new InetSocketAddress(c.getAddress(), 0);
    }

    private static void report(AtomicBoolean warned, String format, Object a, Object b) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn(format, a, String.valueOf(b));
        } else {
            LOG.debug(format, a, String.valueOf(b));
        }
    }
}
