package dev.pen.netty.internal.select;

import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.BackendStats;
import dev.pen.api.Candidate;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One occupied server slot: pen's index, the configured backend, the address it resolved to (an
 * {@code InetSocketAddress}, or a {@code DomainSocketAddress}/{@code UnixDomainSocketAddress} for a path) and its
 * live figures. Immutable apart from the live part; replaced whole when the configuration changes.
 */
public final class BackendSlot implements Candidate {
    private final int index;
    private final Backend backend;
    private final SocketAddress address;
    private final BackendLive live;
    private final boolean dead;

    BackendSlot(int index, Backend backend, SocketAddress address, BackendLive live) {
        this.index = index;
        this.backend = backend;
        this.address = address;
        this.live = live;
        // pen's "server N address 0.0.0.0": a slot kept but never chosen.
        this.dead = address instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isAnyLocalAddress();
    }

    /** Whether this slot's address is the wildcard address, which pen keeps as a slot that takes no client. */
    public boolean dead() {
        return dead;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    public SocketAddress address() {
        return address;
    }

    public BackendLive live() {
        return live;
    }

    @Override
    public int activeConnections() {
        return live.active.get();
    }

    @Override
    public boolean available() {
        return !dead && !live.draining && !live.down && !live.blacklistedNowCheaply();
    }

    /** Draining, else down by its checks, else blacklisted, else up. */
    BackendState state(long nowNanos) {
        return live.draining ? BackendState.DRAINING : live.down ? BackendState.DOWN
                : live.blacklisted(nowNanos) ? BackendState.BLACKLISTED : BackendState.UP;
    }

    /**
     * What this server accepts now. The one place where its state is judged, for statistics and metrics alike;
     * {@link BackendState#DOWN} is for active health checks, which decide it beside the blacklist.
     */
    public BackendState state() {
        return state(System.nanoTime());
    }

    BackendStats stats() {
        long now = System.nanoTime();
        BackendState state = state(now);
        return new BackendStats(index, backend, address, live.active.get(), live.total.get(),
                live.bytesToBackend.sum(), live.bytesFromBackend.sum(), live.lastFailureMillis,
                live.connectFailures.get(), state == BackendState.BLACKLISTED ? live.blacklistedUntilMillis : 0, state,
                live.down, live.lastCheck);
    }

    @Override
    public String toString() {
        return index + " " + backend;
    }
}
