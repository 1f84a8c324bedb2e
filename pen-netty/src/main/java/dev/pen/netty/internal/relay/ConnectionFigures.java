package dev.pen.netty.internal.relay;

import dev.pen.api.ConnectionInfo;
import dev.pen.netty.internal.select.Route;
import java.net.SocketAddress;

/**
 * What a relayed TCP connection and a UDP session both show their listeners: the number, the route through
 * selection, the bytes each way and the times. The owning event loop writes the figures without locks; readers on
 * other threads may see them one read behind.
 */
public abstract class ConnectionFigures implements ConnectionInfo {
    protected final long id;
    protected final Route route = new Route();
    protected final long acceptedAtMillis = System.currentTimeMillis();
    protected final long acceptedAtNanos = System.nanoTime();
    protected long bytesFromClient;
    protected long bytesToClient;
    private volatile long closedAtNanos;

    protected ConnectionFigures(long id) {
        this.id = id;
    }

    /** Stops the clock of {@link #durationNanos()}. */
    protected final void markClosed() {
        closedAtNanos = System.nanoTime();
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

    @Override
    public final long durationNanos() {
        long end = closedAtNanos;
        return (end != 0 ? end : System.nanoTime()) - acceptedAtNanos;
    }
}
