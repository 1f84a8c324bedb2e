package dev.pen.netty.internal.select;

import dev.pen.api.AccessList;
import dev.pen.api.Backend;
import dev.pen.api.BackendStats;
import dev.pen.api.Candidate;
import dev.pen.api.ClientStats;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.Pick;
import dev.pen.api.PickContext;
import dev.pen.api.Picker;
import dev.pen.api.Strategy;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * pen's server selection around a {@link Strategy}: client tracking, the client ACL and abuse server, the
 * remembered server of a returning client, limits (maxc for new clients, up to hard for returning ones),
 * blacklist, failover in index order (never when stubborn) and the emergency server. The strategy only answers
 * "which one" for a client with no remembered server.
 *
 * <p>Selection takes one short lock (the tracking table and the picker's state); the server table is an
 * immutable array published through a volatile field, and live figures are atomics on each backend.
 */
public final class ServerSelector implements PickContext {
    private final Object lock = new Object();
    private final SelectionClock clock = new SelectionClock();
    private final Function<Backend, SocketAddress> resolver;

    private volatile BackendSlot[] slots;
    private volatile List<Candidate> candidates;
    private volatile BackendSlot emergency;
    private volatile BackendSlot abuse;
    private volatile Modes modes;
    private volatile Limits limits;
    private volatile Strategy strategy;
    private volatile AccessList[] accessLists;
    private volatile int clientAcl;

    private Picker picker;
    private final ClientTable clients;
    private volatile int lastServer = Strategy.NO_BACKEND;

    // The pick context of the selection in progress (guarded by lock).
    private InetAddress pickAddress;
    private int pickPort;

    /**
     * A selector over {@code backends} (by index); {@code resolver} turns a backend into the address to connect
     * to, throwing {@link IllegalArgumentException} when it cannot.
     */
    public ServerSelector(List<Backend> backends, Backend emergency, Backend abuse, Strategy strategy, Modes modes,
            Limits limits, List<AccessList> accessLists, int clientAcl, Function<Backend, SocketAddress> resolver) {
        this.resolver = resolver;
        BackendSlot[] s = new BackendSlot[backends.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = newSlot(i, backends.get(i), new BackendLive());
        }
        this.emergency = emergency == null ? null : newSlot(Backend.EMERGENCY_INDEX, emergency, new BackendLive());
        this.abuse = abuse == null ? null : newSlot(Backend.ABUSE_INDEX, abuse, new BackendLive());
        this.strategy = strategy;
        this.picker = strategy.newPicker();
        this.modes = modes;
        this.limits = limits;
        this.accessLists = accessLists.toArray(new AccessList[0]);
        this.clientAcl = clientAcl;
        this.clients = new ClientTable(limits.clientTableSize());
        publish(s);
    }

    private BackendSlot newSlot(int index, Backend backend, BackendLive live) {
        return new BackendSlot(index, backend, resolver.apply(backend), live, clock);
    }

    private void publish(BackendSlot[] s) {
        List<Candidate> c = new ArrayList<>(s.length);
        for (BackendSlot slot : s) {
            if (slot != null) {
                c.add(slot);
            }
        }
        slots = s;
        candidates = Collections.unmodifiableList(c);
    }

    // ---- selection -------------------------------------------------------------------------------------------

    /**
     * Chooses the first server for a new connection from {@code address} ({@code null} for a Unix socket client)
     * and marks the attempt as started. Returns the slot to connect to, or {@code null} when the client must be
     * closed; {@code route} records the way for {@link #failover}.
     */
    public BackendSlot select(Route route, InetAddress address, int port) {
        synchronized (lock) {
            long now = System.nanoTime();
            clock.nowNanos = now;
            Limits l = limits;
            ClientTable.Client client = clients.store(address == null ? ClientTable.UNIX_CLIENT : address, address,
                    now, System.currentTimeMillis(), l.trackingTime().toNanos());
            route.client = client;
            route.address = address;
            int index;
            if (!accessLists[clientAcl].permits(address)) {
                index = abuse != null ? Backend.ABUSE_INDEX : Strategy.NO_BACKEND;
            } else if (!modes.roundRobin() && client.server >= 0 && slotAt(client.server) != null) {
                index = client.server;
            } else {
                pickAddress = address;
                pickPort = port;
                Pick pick = picker.pick(this);
                index = pick.chosen() && slotAt(pick.index()) != null ? pick.index() : Strategy.NO_BACKEND;
            }
            route.initial = index;
            route.current = index;
            BackendSlot slot = slotAt(index);
            if (accepts(slot, route, client.server == index, now)) {
                return start(route, slot);
            }
            return failoverLocked(route, now);
        }
    }

    /**
     * The server after a rejected or failed attempt, in pen's order: the following servers by index up to the
     * first one tried, then the emergency server; {@code null} (close the client) when stubborn, when the attempt
     * was on the emergency or abuse server, or when nothing accepts.
     */
    public BackendSlot failover(Route route) {
        synchronized (lock) {
            long now = System.nanoTime();
            clock.nowNanos = now;
            return failoverLocked(route, now);
        }
    }

    private BackendSlot failoverLocked(Route route, long now) {
        route.slot = null;
        if (modes.stubborn() || route.current == Backend.EMERGENCY_INDEX || route.current == Backend.ABUSE_INDEX) {
            return null;
        }
        BackendSlot[] s = slots;
        int n = s.length;
        if (n > 1 && route.current >= 0) {
            // Bounded by n as well, in case the first server's slot no longer exists.
            for (int step = 1, i = (route.current + 1) % n; step < n && i != route.initial; step++, i = (i + 1) % n) {
                if (accepts(s[i], route, route.client.server == i, now)) {
                    return start(route, s[i]);
                }
            }
        }
        BackendSlot e = emergency;
        if (accepts(e, route, false, now)) {
            return start(route, e);
        }
        return null;
    }

    private BackendSlot start(Route route, BackendSlot slot) {
        route.current = slot.index();
        route.slot = slot;
        route.client.server = slot.index();
        lastServer = slot.index();
        return slot;
    }

    /** pen's try_server: the checks that reject a candidate before any connect is attempted. */
    private boolean accepts(BackendSlot slot, Route route, boolean sticky, long now) {
        if (slot == null) {
            return false;
        }
        BackendLive live = slot.live();
        if (live.draining || live.blacklisted(now)) {
            return false;
        }
        Backend b = slot.backend();
        int c = live.active.get();
        if (b.maxConnections() != 0 && c >= b.maxConnections() && (!sticky || c >= b.hardMaxConnections())) {
            return false;
        }
        return accessLists[b.acl()].permits(route.address);
    }

    /** The connection to the route's server was established. */
    public void connected(Route route) {
        BackendLive live = route.slot.live();
        live.active.incrementAndGet();
        live.total.incrementAndGet();
        synchronized (lock) {
            picker.connected(route.current);
        }
    }

    /** The connection to the route's server failed or timed out: blacklist it for the blacklist time. */
    public void failed(Route route) {
        BackendLive live = route.slot.live();
        live.connectFailures.incrementAndGet();
        live.lastFailureMillis = System.currentTimeMillis();
        live.blacklist(System.nanoTime(), limits.blacklistTime().toNanos());
        synchronized (lock) {
            picker.failed(route.current);
        }
    }

    private BackendSlot slotAt(int index) {
        if (index == Backend.EMERGENCY_INDEX) {
            return emergency;
        }
        if (index == Backend.ABUSE_INDEX) {
            return abuse;
        }
        BackendSlot[] s = slots;
        return index >= 0 && index < s.length ? s[index] : null;
    }

    // ---- PickContext, valid during a selection ------------------------------------------------------------

    @Override
    public InetAddress clientAddress() {
        return pickAddress;
    }

    @Override
    public int clientPort() {
        return pickPort;
    }

    @Override
    public List<Candidate> candidates() {
        return candidates;
    }

    @Override
    public Modes modes() {
        return modes;
    }

    // ---- runtime changes ----------------------------------------------------------------------------------

    /** Puts {@code backend} in the first empty slot or a new one, returning its index. */
    public int add(Backend backend) {
        synchronized (lock) {
            BackendSlot[] s = slots;
            int index = 0;
            while (index < s.length && s[index] != null) {
                index++;
            }
            setLocked(index, backend);
            return index;
        }
    }

    /** Puts {@code backend} in slot {@code index}, keeping the figures when the address is unchanged. */
    public void set(int index, Backend backend) {
        if (index < 0) {
            throw new IllegalArgumentException("unexpected server index: " + index + " (expected 0 or more)");
        }
        synchronized (lock) {
            setLocked(index, backend);
        }
    }

    private void setLocked(int index, Backend backend) {
        BackendSlot[] s = slots;
        BackendSlot old = index < s.length ? s[index] : null;
        BackendLive live = old != null && old.backend().address().equals(backend.address()) ? old.live()
                : new BackendLive();
        BackendSlot slot = newSlot(index, backend, live);
        BackendSlot[] copy = Arrays.copyOf(s, Math.max(s.length, index + 1));
        copy[index] = slot;
        publish(copy);
    }

    /** Empties slot {@code index}; returns false when it was already empty. */
    public boolean remove(int index) {
        synchronized (lock) {
            BackendSlot[] s = slots;
            if (index < 0 || index >= s.length || s[index] == null) {
                return false;
            }
            BackendSlot[] copy = s.clone();
            copy[index] = null;
            publish(copy);
            return true;
        }
    }

    /** The live part of slot {@code index}. */
    public BackendSlot slot(int index) {
        return slotAt(index);
    }

    public void drain(int index) {
        requireSlot(index).live().draining = true;
    }

    public void blacklist(int index, Duration duration) {
        requireSlot(index).live().blacklist(System.nanoTime(), duration.toNanos());
    }

    private BackendSlot requireSlot(int index) {
        BackendSlot slot = slotAt(index);
        if (slot == null) {
            throw new IllegalArgumentException("no server " + index + " (expected one of 0.." + (slots.length - 1) + ")");
        }
        return slot;
    }

    public Modes currentModes() {
        return modes;
    }

    public void setModes(Modes m) {
        modes = m;
    }

    public Limits limits() {
        return limits;
    }

    public void setLimits(Limits l) {
        synchronized (lock) {
            clients.resize(l.clientTableSize());
            limits = l;
        }
    }

    public Strategy strategy() {
        return strategy;
    }

    public void setStrategy(Strategy s) {
        synchronized (lock) {
            picker = s.newPicker();
            strategy = s;
        }
    }

    public AccessList accessList(int number) {
        return accessLists[checkAcl(number)];
    }

    public void setAccessList(int number, AccessList list) {
        checkAcl(number);
        synchronized (lock) {
            AccessList[] copy = accessLists.clone();
            copy[number] = list;
            accessLists = copy;
        }
    }

    public int clientAcl() {
        return clientAcl;
    }

    public void setClientAcl(int number) {
        clientAcl = checkAcl(number);
    }

    private static int checkAcl(int number) {
        if (number < 0 || number >= AccessList.LISTS) {
            throw new IllegalArgumentException(
                    "unexpected acl number: " + number + " (expected 0.." + (AccessList.LISTS - 1) + ")");
        }
        return number;
    }

    // ---- statistics ----------------------------------------------------------------------------------------

    public List<BackendStats> backendStats() {
        List<BackendStats> out = new ArrayList<>();
        for (BackendSlot slot : slots) {
            if (slot != null) {
                out.add(slot.stats());
            }
        }
        return out;
    }

    public Optional<BackendStats> backendStats(int index) {
        BackendSlot slot = slotAt(index);
        return slot == null ? Optional.empty() : Optional.of(slot.stats());
    }

    public int slotCount() {
        return slots.length;
    }

    /** The occupied slots now, for metrics. */
    public List<Candidate> occupied() {
        return candidates;
    }

    public List<ClientStats> clientStats() {
        synchronized (lock) {
            return clients.snapshot(System.nanoTime(), limits.trackingTime().toNanos());
        }
    }

    /** pen's {@code current}: the index of the last server a connection was attempted to. */
    public int lastServer() {
        return lastServer;
    }
}
