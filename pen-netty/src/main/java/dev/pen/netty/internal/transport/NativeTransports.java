package dev.pen.netty.internal.transport;

import dev.pen.api.Transport;

/** The native transports, kept apart so that their classes load only when one is asked for. */
final class NativeTransports {
    /** Netty's switch for io_uring's multishot accept, read once when its io_uring classes load. */
    static final String ACCEPT_MULTISHOT = "io.netty.iouring.acceptMultiShotEnabled";

    static {
        // A multishot accept that fails for want of a descriptor (EMFILE) is re-armed by the kernel at once while
        // clients wait in the backlog, and the listener's loop then spins at one core until a descriptor frees,
        // whatever the pipeline does. One accept submitted at a time stops when accepting pauses. Set before any
        // io_uring class loads (this class is the only way the balancer reaches them), unless set by the user.
        if (System.getProperty(ACCEPT_MULTISHOT) == null) {
            System.setProperty(ACCEPT_MULTISHOT, "false");
        }
    }

    private NativeTransports() {
    }

    /** Whether {@code kind}, a native transport, can run here. */
    static boolean available(Transport kind) {
        return kind == Transport.IO_URING ? io.netty.channel.uring.IoUring.isAvailable()
                : io.netty.channel.epoll.Epoll.isAvailable();
    }

    static ChosenTransport ioUring(boolean required) {
        if (!io.netty.channel.uring.IoUring.isAvailable()) {
            if (required) {
                throw new IllegalStateException("io_uring transport unavailable: "
                        + io.netty.channel.uring.IoUring.unavailabilityCause(),
                        io.netty.channel.uring.IoUring.unavailabilityCause());
            }
            return null;
        }
        return new ChosenTransport(Transport.IO_URING, io.netty.channel.uring.IoUringIoHandler::newFactory,
                io.netty.channel.uring.IoUringServerSocketChannel.class,
                io.netty.channel.uring.IoUringSocketChannel.class,
                io.netty.channel.uring.IoUringServerDomainSocketChannel.class,
                io.netty.channel.uring.IoUringDomainSocketChannel.class,
                io.netty.channel.uring.IoUringDatagramChannel.class);
    }

    static ChosenTransport epoll(boolean required) {
        if (!io.netty.channel.epoll.Epoll.isAvailable()) {
            if (required) {
                throw new IllegalStateException("epoll transport unavailable: "
                        + io.netty.channel.epoll.Epoll.unavailabilityCause(),
                        io.netty.channel.epoll.Epoll.unavailabilityCause());
            }
            return null;
        }
        return new ChosenTransport(Transport.EPOLL, io.netty.channel.epoll.EpollIoHandler::newFactory,
                io.netty.channel.epoll.EpollServerSocketChannel.class,
                io.netty.channel.epoll.EpollSocketChannel.class,
                io.netty.channel.epoll.EpollServerDomainSocketChannel.class,
                io.netty.channel.epoll.EpollDomainSocketChannel.class,
                io.netty.channel.epoll.EpollDatagramChannel.class);
    }

    /** Linux's IP_TRANSPARENT as {@code kind}'s channels take it. */
    static io.netty.channel.ChannelOption<Boolean> ipTransparent(Transport kind) {
        return kind == Transport.IO_URING ? io.netty.channel.uring.IoUringChannelOption.IP_TRANSPARENT
                : io.netty.channel.epoll.EpollChannelOption.IP_TRANSPARENT;
    }

    static void ioUringReusePort(io.netty.bootstrap.AbstractBootstrap<?, ?> b) {
        b.option(io.netty.channel.uring.IoUringChannelOption.SO_REUSEPORT, true);
    }

    static void epollReusePort(io.netty.bootstrap.AbstractBootstrap<?, ?> b) {
        b.option(io.netty.channel.epoll.EpollChannelOption.SO_REUSEPORT, true);
    }

    static io.netty.channel.ChannelFactory<io.netty.channel.ServerChannel> epollServerChannels(
            io.netty.channel.socket.SocketProtocolFamily family) {
        return () -> new io.netty.channel.epoll.EpollServerSocketChannel(family);
    }

    static io.netty.channel.ChannelFactory<io.netty.channel.Channel> epollSocketChannels(
            io.netty.channel.socket.SocketProtocolFamily family) {
        return () -> new io.netty.channel.epoll.EpollSocketChannel(family);
    }

    static io.netty.channel.ChannelFactory<io.netty.channel.socket.DatagramChannel> datagramChannels(Transport kind,
            io.netty.channel.socket.SocketProtocolFamily family) {
        if (kind == Transport.IO_URING) {
            return () -> new io.netty.channel.uring.IoUringDatagramChannel(family);
        }
        return () -> new io.netty.channel.epoll.EpollDatagramChannel(family);
    }
}
