package dev.pen.api;

import java.net.SocketAddress;

/**
 * One client connection as {@link ConnectionLog} listeners see it. Figures are read live: a listener that keeps
 * the object sees them change. Methods are safe to call from any thread.
 */
public interface ConnectionInfo {

    /** A number unique among this balancer's connections, increasing in accept order. */
    long id();

    /** The client's address: an {@code InetSocketAddress}, or the listener's path for a Unix socket client. */
    SocketAddress clientAddress();

    /** pen's index of the backend in use, {@link Backend#EMERGENCY_INDEX}, {@link Backend#ABUSE_INDEX}, or
     * {@link Strategy#NO_BACKEND} before one is chosen. */
    int backendIndex();

    /** The address of the backend in use, or {@code null} before one is chosen. */
    SocketAddress backendAddress();

    /** Bytes read from the client and written to the backend. */
    long bytesFromClient();

    /** Bytes read from the backend and written to the client. */
    long bytesToClient();

    /** Wall time when the connection was accepted, in epoch milliseconds. */
    long acceptedAtMillis();

    /** Time from accept to close, or to now while open, in nanoseconds. */
    long durationNanos();

    /** The file descriptor of the client's socket where the transport shows it (a native one), else -1. */
    default int clientDescriptor() {
        return -1;
    }

    /** The file descriptor of the socket to the backend where the transport shows it and one is open, else -1. */
    default int backendDescriptor() {
        return -1;
    }
}
