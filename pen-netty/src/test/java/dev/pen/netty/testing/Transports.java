package dev.pen.netty.testing;

import dev.pen.api.Transport;
import java.util.ArrayList;
import java.util.List;

/** The transports this machine offers: NIO always, the native ones where the kernel has them. */
public final class Transports {
    private Transports() {
    }

    public static List<Transport> available() {
        List<Transport> list = new ArrayList<>();
        list.add(Transport.NIO);
        if (io.netty.channel.epoll.Epoll.isAvailable()) {
            list.add(Transport.EPOLL);
        }
        if (io.netty.channel.uring.IoUring.isAvailable()) {
            list.add(Transport.IO_URING);
        }
        return list;
    }
}
