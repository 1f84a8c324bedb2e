package dev.pen.netty.internal.select;

import dev.pen.api.Strategy;

/**
 * One connection's way through selection: the tracked client, the first server tried (failover stops when it
 * comes round to it again) and the server being tried now. Owned by the connection's event loop.
 */
public final class Route {
    ClientTable.Client client;
    int initial = Strategy.NO_BACKEND;
    int current = Strategy.NO_BACKEND;
    BackendSlot slot;
    java.net.InetAddress address;
    int port;
    /** The servers tried so far, once a failover needed them; {@code null} until then. */
    java.util.List<Integer> tried;
    /** When the attempt on the current server started. */
    long startedNanos;

    /** The servers tried so far, the first included. */
    java.util.List<Integer> tried() {
        if (tried == null) {
            tried = initial >= 0 ? java.util.List.of(initial) : java.util.List.of();
        }
        return tried;
    }

    /** The server being tried or in use; {@code null} before selection or after it found none. */
    public BackendSlot slot() {
        return slot;
    }

    /** pen's index of the chosen server, or {@link Strategy#NO_BACKEND} before one is chosen. */
    public int backendIndex() {
        BackendSlot s = slot;
        return s == null ? Strategy.NO_BACKEND : s.index();
    }

    /** The address of the chosen server, or {@code null} before one is chosen. */
    public java.net.SocketAddress backendAddress() {
        BackendSlot s = slot;
        return s == null ? null : s.address();
    }

    /** pen's index of the server being tried or in use. */
    public int current() {
        return current;
    }

    /** Adds bytes sent to the client to its tracking entry. */
    public void addBytesToClient(long n) {
        if (client != null) {
            client.addBytesToClient(n);
        }
    }

    /** Adds bytes received from the client to its tracking entry. */
    public void addBytesFromClient(long n) {
        if (client != null) {
            client.addBytesFromClient(n);
        }
    }
}
