package dev.pen.netty.internal.relay;

import dev.pen.api.ConnectionInfo;
import dev.pen.netty.internal.select.BackendSlot;
import dev.pen.netty.internal.select.Route;
import java.net.SocketAddress;

/**
 * What a relayed TCP connection and a UDP session both show their listeners: the number, the route through
 * selection, the bytes each way and the times. {@link ConnectionEvents} keeps the figures; the owning event loop
 * writes them without locks, and readers on other threads may see them one read behind.
 */
public abstract class ConnectionFigures implements ConnectionInfo {
    private final long id;
    protected final Route route = new Route();
    private final long acceptedAtMillis = System.currentTimeMillis();
    private final long acceptedAtNanos = System.nanoTime();
    /** The server this connection is counted on once connected; {@code null} before. */
    protected BackendSlot counted;
    long bytesFromClient;
    long bytesToClient;
    private volatile long closedAtNanos;

    protected ConnectionFigures(long id) {
        this.id = id;
    }

    /** Stops the clock of {@link #durationNanos()}. */
    final void markClosed() {
        if (closedAtNanos == 0) {
            closedAtNanos = System.nanoTime();
        }
    }

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final int backendIndex() {
        return route.backendIndex();
    }

    @Override
    public final SocketAddress backendAddress() {
        return route.backendAddress();
    }

    @Override
    public final long bytesFromClient() {
        return bytesFromClient;
    }

    @Override
    public final long bytesToClient() {
        return bytesToClient;
    }

    @Override
    public final long acceptedAtMillis() {
        return acceptedAtMillis;
    }

    /** When the client was accepted, from {@link System#nanoTime()}. */
    public final long acceptedAtNanos() {
        return acceptedAtNanos;
    }

    @Override
    public final long durationNanos() {
        long end = closedAtNanos;
        return (end != 0 ? end : System.nanoTime()) - acceptedAtNanos;
    }
}
