package dev.pen.launcher.control;

import dev.pen.api.AccessList;
import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ClientStats;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.Strategy;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The balancer as the command line, {@code -o} commands and the {@code -F} file describe it before it starts: the
 * same {@link Balancer} interface, so that one interpreter serves before and after start-up, but nothing listens
 * and every figure is zero.
 * Thread-safe (every method synchronised): commands may come from the main thread only, but cheaply so.
 */
public final class OfflineBalancer implements Balancer {
    private final List<Backend> slots = new ArrayList<>();
    private final List<Long> blacklistedUntil = new ArrayList<>();
    private final AccessList[] accessLists = new AccessList[AccessList.LISTS];
    private Modes modes = Modes.DEFAULT;
    private Limits limits = Limits.DEFAULT;
    private Strategy strategy = Strategy.penModes();
    private int clientAcl;
    private Backend emergency;
    private Backend abuse;
    private boolean http;
    private boolean udp;
    private Duration udpIdleTimeout = BalancerConfig.DEFAULT_UDP_IDLE_TIMEOUT;

    public OfflineBalancer() {
        Arrays.fill(accessLists, AccessList.empty());
    }

    @Override
    public SocketAddress localAddress() {
        return null;
    }

    @Override
    public synchronized List<BackendStats> backends() {
        List<BackendStats> list = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i) != null) {
                list.add(stats(i, slots.get(i)));
            }
        }
        return list;
    }

    @Override
    public synchronized Optional<BackendStats> backend(int index) {
        if (index < 0 || index >= slots.size() || slots.get(index) == null) {
            return Optional.empty();
        }
        return Optional.of(stats(index, slots.get(index)));
    }

    private BackendStats stats(int index, Backend b) {
        long until = index >= 0 ? blacklistedUntil.get(index) : 0;
        return new BackendStats(index, b, null, 0, 0, 0, 0, 0, until,
                until > System.currentTimeMillis() ? BackendState.BLACKLISTED : BackendState.UP);
    }

    @Override
    public synchronized int backendSlots() {
        return slots.size();
    }

    @Override
    public synchronized Optional<BackendStats> emergency() {
        return Optional.ofNullable(emergency).map(b -> stats(Backend.EMERGENCY_INDEX, b));
    }

    @Override
    public synchronized Optional<BackendStats> abuse() {
        return Optional.ofNullable(abuse).map(b -> stats(Backend.ABUSE_INDEX, b));
    }

    /** Sets or clears (null) the emergency server (pen's -e). */
    public synchronized void setEmergency(Backend backend) {
        this.emergency = backend;
    }

    /** Sets or clears (null) the abuse server (pen's -B). */
    public synchronized void setAbuse(Backend backend) {
        this.abuse = backend;
    }

    @Override
    public synchronized int addBackend(Backend backend) {
        int free = slots.indexOf(null);
        if (free < 0) {
            free = slots.size();
        }
        setBackend(free, backend);
        return free;
    }

    @Override
    public synchronized void setBackend(int index, Backend backend) {
        if (index < 0) {
            throw new IllegalArgumentException("unexpected server index: " + index + " (expected 0 or more)");
        }
        while (slots.size() <= index) {
            slots.add(null);
            blacklistedUntil.add(0L);
        }
        slots.set(index, backend);
    }

    @Override
    public synchronized void removeBackend(int index) {
        if (index >= 0 && index < slots.size()) {
            slots.set(index, null);
        }
    }

    @Override
    public synchronized void drainBackend(int index) {
        // Nothing connects before start; draining matters only to a running balancer.
    }

    @Override
    public synchronized void blacklistBackend(int index, Duration duration) {
        if (index >= 0 && index < slots.size()) {
            blacklistedUntil.set(index, duration.isZero() ? 0L : System.currentTimeMillis() + duration.toMillis());
        }
    }

    @Override
    public synchronized Modes modes() {
        return modes;
    }

    @Override
    public synchronized void setModes(Modes m) {
        this.modes = m;
    }

    @Override
    public synchronized Limits limits() {
        return limits;
    }

    @Override
    public synchronized void setLimits(Limits l) {
        this.limits = l;
    }

    @Override
    public synchronized Strategy strategy() {
        return strategy;
    }

    @Override
    public synchronized void setStrategy(Strategy s) {
        this.strategy = s;
    }

    @Override
    public synchronized AccessList accessList(int number) {
        return accessLists[number];
    }

    @Override
    public synchronized void setAccessList(int number, AccessList list) {
        accessLists[number] = list;
    }

    @Override
    public synchronized int clientAcl() {
        return clientAcl;
    }

    @Override
    public synchronized void setClientAcl(int number) {
        this.clientAcl = number;
    }

    @Override
    public synchronized boolean httpMode() {
        return http && !udp;
    }

    @Override
    public synchronized void setHttpMode(boolean on) {
        this.http = on;
    }

    @Override
    public synchronized boolean udp() {
        return udp;
    }

    /** Whether the balancer will relay UDP (pen's -U), which decides what some commands act on. */
    public synchronized void setUdp(boolean on) {
        this.udp = on;
    }

    @Override
    public synchronized Duration udpIdleTimeout() {
        return udpIdleTimeout;
    }

    @Override
    public synchronized void setUdpIdleTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("unexpected UDP idle timeout: " + timeout.toSeconds()
                    + " s (expected 0 for never, or more)");
        }
        this.udpIdleTimeout = timeout;
    }

    @Override
    public List<ClientStats> clients() {
        return List.of();
    }

    @Override
    public List<ConnectionInfo> connections() {
        return List.of();
    }

    @Override
    public boolean closeConnection(long id) {
        return false;
    }

    @Override
    public int activeConnections() {
        return 0;
    }

    @Override
    public void close() {
    }

    /** Remaining blacklist time of slot {@code index} (what {@code server N blacklist T} set before start). */
    public synchronized Duration blacklistRemaining(int index) {
        long left = index < blacklistedUntil.size() ? blacklistedUntil.get(index) - System.currentTimeMillis() : 0;
        return left > 0 ? Duration.ofMillis(left) : Duration.ZERO;
    }
}
