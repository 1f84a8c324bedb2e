package dev.pen.netty.testing;

import dev.pen.api.Transport;
import dev.pen.netty.internal.transport.ChosenTransport;
import java.util.ArrayList;
import java.util.List;

/** The transports this machine offers: NIO always, the native ones where the kernel has them. */
public final class Transports {
    private Transports() {
    }

    public static List<Transport> available() {
        // Asked through the balancer, which sets the native transports up before their classes load.
        List<Transport> list = new ArrayList<>();
        for (Transport t : List.of(Transport.NIO, Transport.EPOLL, Transport.IO_URING)) {
            if (ChosenTransport.available(t)) {
                list.add(t);
            }
        }
        return list;
    }
}
