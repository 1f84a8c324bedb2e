package dev.pen.netty.internal.http;

/**
 * The requests of one connection passed on to the backend and not answered yet, oldest first, each as what its
 * response's framing depends on: the client side adds each request it passes on, the backend side takes them off
 * as their final responses end. At most {@link #MAX} wait; one event loop, not thread-safe.
 */
final class PendingRequests {
    static final int MAX = 1 << 14;
    /** A request with method {@code HEAD}: its response has no body. */
    static final byte HEAD = 1;
    /** A request with an {@code Upgrade} header: a {@code 101} answer makes the connection a tunnel. */
    static final byte UPGRADE = 2;
    /** A {@code CONNECT} request: a {@code 2xx} answer makes the connection a tunnel. */
    static final byte CONNECT = 4;

    private byte[] kinds = new byte[16];
    private int first;
    private int size;

    /** Adds a request of {@code kind}; false when {@link #MAX} are waiting already. */
    boolean add(byte kind) {
        if (size == kinds.length) {
            if (size == MAX) {
                return false;
            }
            byte[] grown = new byte[size * 2];
            for (int k = 0; k < size; k++) {
                grown[k] = kind(k);
            }
            kinds = grown;
            first = 0;
        }
        kinds[(first + size) & (kinds.length - 1)] = kind;
        size++;
        return true;
    }

    /** The kind of the {@code k}-th waiting request, 0 (a plain request) when fewer wait. */
    byte kind(int k) {
        return k < size ? kinds[(first + k) & (kinds.length - 1)] : 0;
    }

    /** Takes off the {@code n} oldest. */
    void remove(int n) {
        n = Math.min(n, size);
        first = (first + n) & (kinds.length - 1);
        size -= n;
    }

    int size() {
        return size;
    }

    /** Whether the newest waiting request may turn the connection into a tunnel. */
    boolean lastMayTunnel() {
        return size > 0 && (kind(size - 1) & (UPGRADE | CONNECT)) != 0;
    }
}
