package dev.pen.netty.internal.transport;

import dev.pen.api.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport the relay runs on: the event loop's I/O handler and the channel classes for TCP, Unix sockets
 * and UDP. Chosen once: io_uring, else epoll, else NIO; a forced one that is unavailable fails with its cause.
 * Native classes are only touched inside their own branch, so an NIO-only run never loads them.
 */
public record ChosenTransport(Transport kind, Supplier<IoHandlerFactory> ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel, Class<? extends Channel> socketChannel,
        Class<? extends ServerChannel> serverDomainChannel, Class<? extends Channel> domainChannel,
        Class<? extends DatagramChannel> datagramChannel) {

    private static final Logger LOG = LoggerFactory.getLogger(ChosenTransport.class);
    private static volatile Transport loggedChoice;

    /** Chooses {@code wanted}, or the best available for {@link Transport#AUTO}; logs an automatic choice once. */
    public static ChosenTransport choose(Transport wanted) {
        Transport kind = wanted;
        if (wanted == Transport.AUTO) {
            String forced = System.getProperty("pen.transport");
            if (forced != null && !forced.isBlank()) {
                kind = parse(forced);
            }
        }
        ChosenTransport chosen;
        switch (kind) {
            case IO_URING -> chosen = NativeTransports.ioUring(true);
            case EPOLL -> chosen = NativeTransports.epoll(true);
            case NIO -> chosen = nio();
            default -> {
                chosen = automatic(Transport.IO_URING, () -> NativeTransports.ioUring(false));
                if (chosen == null) {
                    chosen = automatic(Transport.EPOLL, () -> NativeTransports.epoll(false));
                }
                if (chosen == null) {
                    chosen = nio();
                }
            }
        }
        if (loggedChoice != chosen.kind) {
            loggedChoice = chosen.kind;
            LOG.info("transport: {}", chosen.kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        return chosen;
    }

    /**
     * The native transport {@code kind} if it loads, else {@code null}: a library missing or built for another C
     * library (a {@link LinkageError}) only means the next transport, with one line saying why.
     */
    static ChosenTransport automatic(Transport kind, Supplier<ChosenTransport> load) {
        try {
            return load.get();
        } catch (LinkageError e) {
            LOG.warn("transport {} could not be loaded, trying the next: {}", kind.name().toLowerCase(java.util.Locale.ROOT),
                    e.toString());
            return null;
        }
    }

    /** Whether {@code kind} can run here: NIO always, a native transport where the kernel has it. */
    public static boolean available(Transport kind) {
        return switch (kind) {
            case NIO, AUTO -> true;
            case IO_URING, EPOLL -> NativeTransports.available(kind);
        };
    }

    /** Parses a transport name as used by the {@code pen.transport} system property and the launcher. */
    public static Transport parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_')) {
            case "auto" -> Transport.AUTO;
            case "io_uring", "iouring", "uring" -> Transport.IO_URING;
            case "epoll" -> Transport.EPOLL;
            case "nio" -> Transport.NIO;
            default -> throw new IllegalArgumentException(
                    "unknown transport '" + name + "' (expected auto, io_uring, epoll or nio)");
        };
    }

    static ChosenTransport nio() {
        return new ChosenTransport(Transport.NIO, io.netty.channel.nio.NioIoHandler::newFactory,
                io.netty.channel.socket.nio.NioServerSocketChannel.class,
                io.netty.channel.socket.nio.NioSocketChannel.class,
                io.netty.channel.socket.nio.NioServerDomainSocketChannel.class,
                io.netty.channel.socket.nio.NioDomainSocketChannel.class,
                io.netty.channel.socket.nio.NioDatagramChannel.class);
    }

    /** What kind of socket an address needs: a Unix one, an IPv4 one, or the transport's usual (dual-stack) one. */
    public enum Family {
        UNIX, IPV4, USUAL;

        /** The kind of socket {@code address} is bound or connected with. */
        public static Family of(SocketAddress address) {
            if (isUnix(address)) {
                return UNIX;
            }
            return address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address ? IPV4 : USUAL;
        }
    }

    /**
     * What makes TCP listeners of {@code family}: an IPv4 address gets an IPv4 socket (a dual-stack one would show
     * as {@code ::ffff:a.b.c.d}). io_uring's TCP channels take no protocol family in Netty 4.2, so there an IPv4
     * address is bound with the usual dual-stack socket.
     */
    public ChannelFactory<? extends ServerChannel> serverChannels(Family family) {
        if (family == Family.UNIX) {
            return new ReflectiveChannelFactory<>(serverDomainChannel);
        }
        if (family == Family.IPV4 && kind == Transport.EPOLL) {
            return NativeTransports.epollServerChannels(SocketProtocolFamily.INET);
        }
        if (family == Family.IPV4 && kind == Transport.NIO) {
            return () -> new io.netty.channel.socket.nio.NioServerSocketChannel(
                    java.nio.channels.spi.SelectorProvider.provider(), SocketProtocolFamily.INET);
        }
        return new ReflectiveChannelFactory<>(serverChannel);
    }

    /** What makes connecting TCP or Unix sockets of {@code family}, as {@link #serverChannels} does listeners. */
    public ChannelFactory<? extends Channel> socketChannels(Family family) {
        if (family == Family.UNIX) {
            return new ReflectiveChannelFactory<>(domainChannel);
        }
        if (family == Family.IPV4 && kind == Transport.EPOLL) {
            return NativeTransports.epollSocketChannels(SocketProtocolFamily.INET);
        }
        if (family == Family.IPV4 && kind == Transport.NIO) {
            return () -> new io.netty.channel.socket.nio.NioSocketChannel(
                    java.nio.channels.spi.SelectorProvider.provider(), SocketProtocolFamily.INET);
        }
        return new ReflectiveChannelFactory<>(socketChannel);
    }

    /** What makes UDP sockets of {@code family} ({@link Family#IPV4} or the usual): IPv4 ones on every transport. */
    public ChannelFactory<? extends DatagramChannel> datagramChannels(Family family) {
        if (family != Family.IPV4) {
            return new ReflectiveChannelFactory<>(datagramChannel);
        }
        return switch (kind) {
            case EPOLL, IO_URING -> NativeTransports.datagramChannels(kind, SocketProtocolFamily.INET);
            default -> () -> new io.netty.channel.socket.nio.NioDatagramChannel(SocketProtocolFamily.INET);
        };
    }

    /** The file descriptor of {@code channel} on a native transport; -1 on NIO, which does not show it. */
    public static int descriptor(Channel channel) {
        if (channel instanceof io.netty.channel.unix.UnixChannel unix) {
            return unix.fd().intValue();
        }
        return -1;
    }

    /** Sets SO_REUSEPORT on a listener, so that another process may bind the same port. */
    public void reusePort(io.netty.bootstrap.AbstractBootstrap<?, ?> bootstrap) {
        switch (kind) {
            case IO_URING -> NativeTransports.ioUringReusePort(bootstrap);
            case EPOLL -> NativeTransports.epollReusePort(bootstrap);
            default -> bootstrap.option(io.netty.channel.socket.nio.NioChannelOption.of(
                    java.net.StandardSocketOptions.SO_REUSEPORT), true);
        }
    }

    /**
     * Linux's IP_TRANSPARENT as this transport's TCP channels take it (epoll and io_uring), or {@code null} where
     * the transport has no such option (NIO: the JDK offers none).
     */
    public io.netty.channel.ChannelOption<Boolean> ipTransparent() {
        return kind == Transport.NIO ? null : NativeTransports.ipTransparent(kind);
    }

    /** The socket address type this transport takes for a Unix socket path. */
    public SocketAddress unixAddress(String path) {
        return kind == Transport.NIO ? UnixDomainSocketAddress.of(path) : new DomainSocketAddress(path);
    }

    /** True when {@code address} is a Unix socket address of either kind. */
    public static boolean isUnix(SocketAddress address) {
        return address instanceof DomainSocketAddress || address instanceof UnixDomainSocketAddress;
    }

    /** The path of a Unix socket address of either kind. */
    public static String unixPath(SocketAddress address) {
        if (address instanceof DomainSocketAddress d) {
            return d.path();
        }
        return ((UnixDomainSocketAddress) address).getPath().toString();
    }
}
