package dev.pen.launcher.log;

import dev.pen.api.HostPort;
import dev.pen.api.Services;
import java.net.InetSocketAddress;

/** pen's {@code -l} value: a file name, or {@code host:port} of a network log collector (penlogd). */
public final class LogTarget {
    private LogTarget() {
    }

    /** pen's rule: a value with a ':' that does not start with '/' names a collector, anything else a file. */
    public static boolean isNetwork(String value) {
        return value.indexOf(':') >= 0 && !value.startsWith("/");
    }

    /**
     * The collector's address for a network value, resolved now.
     *
     * @throws IllegalArgumentException naming the host or port when it is bad
     */
    public static InetSocketAddress collector(String value) {
        HostPort split = HostPort.parse(value);
        String host = split.host() == null ? "" : split.host();
        int port = Services.port(split.port(), "udp");
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unknown log host '" + host + "' (expected host:port of a penlogd)");
        }
        return address;
    }
}
