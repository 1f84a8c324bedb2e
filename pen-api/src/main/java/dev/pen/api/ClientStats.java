package dev.pen.api;

import java.net.InetAddress;

/**
 * A read-only snapshot of one slot of the client tracking table: the client's address, when it last connected,
 * the pen index of the backend it last used ({@link Backend#EMERGENCY_INDEX}, {@link Backend#ABUSE_INDEX}, or
 * {@link Strategy#NO_BACKEND} when none), how many times it connected, and bytes sent to it and received from it
 * (pen's {@code recent}: {@code sx} and {@code rx}).
 */
public record ClientStats(int slot, InetAddress address, long lastConnectMillis, int lastBackend, long connects,
        long bytesToClient, long bytesFromClient) {
}
