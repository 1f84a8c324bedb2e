package dev.pen.netty.internal.select;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * pen's server selection around a {@link Strategy}: client tracking, the client ACL and abuse server, the
 * remembered server of a returning client, limits (maxc for new clients, up to hard for returning ones),
 * blacklist, active health checks (a server down by its checks is passed over, and its tracked clients choose
 * again), slow start, failover (in pen's order unless the picker gives its own, never when stubborn) and the
 * emergency server. The strategy only answers "which one" for a client with no remembered server, or for every
 * client when it does not track clients ({@link Strategy#tracksClients()}: Maglev).
 *
 * <p>Selection takes one short lock (the tracking table and the picker's state); the server table and the
 * settings are an immutable {@link ServerTable} published through a volatile field, and live figures are atomics
 * on each backend.
 */
public final class ServerSelector {
    private final Object lock = new Object();
    private volatile ServerTable table;
    private Picker picker;
    /** Whether the picker listens to outcomes; pen's built-ins do not, and spare every connection the lock. */
    private volatile boolean pickerHearsOutcomes;
    private final ClientTable clients;
    private final StateEvents events;

    /** A selector for {@code table}, made by {@link ServerTable#prepare}, telling no one of state changes. */
    public ServerSelector(ServerTable table) {
        this(table, StateEvents.NONE);
    }

    /** A selector for {@code table} that tells {@code events} of every backend state change. */
    public ServerSelector(ServerTable table, StateEvents events) {
        this.table = table;
        this.events = events;
        Picker p = table.strategy().newPicker();
        p.prepare(table.candidates());
        usePicker(p);
        this.clients = new ClientTable(table.limits().clientTableSize());
    }

    /** The table in force now. */
    public ServerTable table() {
        return table;
    }

    /** Where backend state changes are told. */
    public StateEvents events() {
        return events;
    }

    /**
     * Puts {@code next} in force: slots already there keep their figures (the table was prepared from this one),
     * a changed strategy starts a new picker, and a changed client table size resizes the table. The picker
     * prepares for the new candidates first, outside the lock and on the caller's thread (the one applying the
     * configuration), so that what it derives from them (a Maglev table) is not built by a pick on an event loop.
     * Calls are made one at a time (the balancer's update is synchronized).
     */
    public void apply(ServerTable next) {
        Picker current;
        synchronized (lock) {
            current = next.strategy().equals(table.strategy()) ? picker : null;
        }
        Picker p = current != null ? current : next.strategy().newPicker();
        p.prepare(next.candidates());
        synchronized (lock) {
            if (p != picker) {
                usePicker(p);
            }
            if (next.limits().clientTableSize() != table.limits().clientTableSize()) {
                clients.resize(next.limits().clientTableSize());
            }
            table = next;
        }
    }

    private void usePicker(Picker p) {
        picker = p;
        pickerHearsOutcomes = overrides(p, "connected", int.class, long.class)
                || overrides(p, "closed", int.class, long.class, long.class);
    }

    private static boolean overrides(Picker p, String name, Class<?>... parameters) {
        try {
            return p.getClass().getMethod(name, parameters).getDeclaringClass() != Picker.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
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
            ServerTable t = table;
            ClientTable.Client client = clients.store(address == null ? ClientTable.UNIX_CLIENT : address, address,
                    now, System.currentTimeMillis(), t.limits().trackingTime().toNanos());
            route.client = client;
            route.address = address;
            route.port = port;
            route.tried = null;
            int index;
            if (!t.accessList(t.clientAcl()).permits(address)) {
                if (t.abuse() == null) {
                    // Denied, and no abuse server named: closed. pen 0.34.1 lets such a client fail over to the
                    // emergency server, which would let an ACL's denial reach a server.
                    route.initial = Strategy.NO_BACKEND;
                    route.current = Strategy.NO_BACKEND;
                    route.slot = null;
                    return null;
                }
                index = Backend.ABUSE_INDEX;
            } else if (t.strategy().tracksClients() && !t.modes().roundRobin() && remembered(t, client.server)) {
                index = client.server;
            } else {
                Pick pick = picker.pick(new PickContext(address, port, t.candidates(), t.slotCount(), List.of(),
                        t.modes(), now));
                // A pick of an empty slot (pen's hash) fails over from that slot, as pen's does.
                index = pick.chosen() && pick.index() < t.slotCount() ? pick.index() : Strategy.NO_BACKEND;
            }
            route.initial = index;
            route.current = index;
            BackendSlot slot = t.slot(index);
            boolean sticky = returning(t, route, index);
            if (accepts(t, slot, route, sticky, now)) {
                if (!sticky && index >= 0 && slot.live().slowStartNanos != 0 && !rampAdmits(slot.live(), now)) {
                    // In slow start and not its turn: the next server takes this one, unless none will.
                    BackendSlot other = failoverLocked(route, now);
                    if (other != null && other != t.emergency()) {
                        return other;
                    }
                    route.tried = null;
                }
                return start(route, slot, now);
            }
            return failoverLocked(route, now);
        }
    }

    /**
     * Whether the route's client returns to {@code index}, its last server, and so may take it up to its hard
     * limit. Never with a strategy that does not track clients: whether it may go there must not depend on what
     * one instance remembers.
     */
    private static boolean returning(ServerTable t, Route route, int index) {
        return route.client.server == index && t.strategy().tracksClients();
    }

    /** A returning client keeps its server unless that slot is gone, draining or down: then it chooses again. */
    private static boolean remembered(ServerTable t, int server) {
        BackendSlot slot = server >= 0 ? t.slot(server) : null;
        return slot != null && !slot.live().draining && !slot.live().down;
    }

    /**
     * Whether a server in slow start takes this new client: each time it is chosen it earns its ramped share (0 to
     * 1) of a client and takes one when it has earned a whole, so its share of the clients chosen for it grows
     * with the time since it came back. Under the lock.
     */
    private static boolean rampAdmits(BackendLive live, long now) {
        double share = live.rampedShare(now);
        if (share >= 1) {
            live.slowStartNanos = 0;
            live.slowStartCredit = 0;
            return true;
        }
        live.slowStartCredit += share;
        if (live.slowStartCredit >= 1) {
            live.slowStartCredit -= 1;
            return true;
        }
        return false;
    }

    /**
     * The server after a rejected or failed attempt: the next the picker names (pen's order by default) that
     * accepts the client, then the emergency server; {@code null} (close the client) when stubborn, when the
     * attempt was on the emergency or abuse server, or when nothing accepts.
     */
    public BackendSlot failover(Route route) {
        synchronized (lock) {
            return failoverLocked(route, System.nanoTime());
        }
    }

    private BackendSlot failoverLocked(Route route, long now) {
        route.slot = null;
        ServerTable t = table;
        if (t.modes().stubborn() || route.current == Backend.EMERGENCY_INDEX || route.current == Backend.ABUSE_INDEX) {
            return null;
        }
        if (route.current >= 0) {
            PickContext context = new PickContext(route.address, route.port, t.candidates(), t.slotCount(),
                    route.tried(), t.modes(), now);
            // Bounded by the slot count, whatever the picker answers.
            for (int step = 1; step < t.slotCount(); step++) {
                int i = picker.next(context);
                if (i < 0 || i >= t.slotCount()) {
                    break;
                }
                context = context.withTried(i);
                if (accepts(t, t.slot(i), route, returning(t, route, i), now)) {
                    route.tried = context.tried();
                    return start(route, t.slot(i), now);
                }
            }
            route.tried = context.tried();
        }
        BackendSlot e = t.emergency();
        if (accepts(t, e, route, false, now)) {
            return start(route, e, now);
        }
        return null;
    }

    private static BackendSlot start(Route route, BackendSlot slot, long now) {
        route.current = slot.index();
        route.slot = slot;
        route.startedNanos = now;
        route.client.server = slot.index();
        return slot;
    }

    /** pen's try_server: the checks that reject a candidate before any connect is attempted. */
    private static boolean accepts(ServerTable t, BackendSlot slot, Route route, boolean sticky, long now) {
        if (slot == null) {
            return false;
        }
        BackendLive live = slot.live();
        if (slot.dead() || live.draining || live.down || live.everBlacklisted && live.blacklisted(now)) {
            return false;
        }
        Backend b = slot.backend();
        int c = live.active.get();
        if (b.maxConnections() != 0 && c >= b.maxConnections() && (!sticky || c >= b.hardMaxConnections())) {
            return false;
        }
        return t.accessList(b.acl()).permits(route.address);
    }

    /** The connection to the route's server was established. */
    public void connected(Route route) {
        BackendLive live = route.slot.live();
        live.active.incrementAndGet();
        live.total.incrementAndGet();
        BackendLive.Timing timing = live.timing;
        boolean pickerHears = route.current >= 0 && pickerHearsOutcomes;
        if (timing != null || pickerHears) {
            long connectNanos = System.nanoTime() - route.startedNanos;
            if (timing != null) {
                timing.connected(connectNanos);
            }
            if (pickerHears) {
                synchronized (lock) {
                    picker.connected(route.current, connectNanos);
                }
            }
        }
    }

    /**
     * The connection to the route's server failed or timed out: blacklist it for the blacklist time;
     * {@code reason} tells the state listeners why.
     */
    public void failed(Route route, String reason) {
        BackendSlot slot = route.slot;
        BackendLive live = slot.live();
        live.connectFailures.incrementAndGet();
        live.lastFailureMillis = System.currentTimeMillis();
        live.blacklist(System.nanoTime(), table.limits().blacklistTime().toNanos());
        if (route.current >= 0) {
            synchronized (lock) {
                picker.failed(route.current);
            }
        }
        events.blacklisted(slot, reason);
    }

    /** A connection that reached {@code slot} ended after {@code durationNanos}, having relayed {@code bytes}. */
    public void closed(BackendSlot slot, long durationNanos, long bytes) {
        BackendLive live = slot.live();
        live.connectionClosed();
        BackendLive.Timing timing = live.timing;
        if (timing != null) {
            timing.closed(durationNanos);
        }
        if (slot.index() >= 0 && pickerHearsOutcomes) {
            synchronized (lock) {
                picker.closed(slot.index(), durationNanos, bytes);
            }
        }
    }

    // ---- live actions -----------------------------------------------------------------------------------------

    /** The slot {@code index} (or the emergency or abuse server), or {@code null}. */
    public BackendSlot slot(int index) {
        return table.slot(index);
    }

    public void drain(int index, boolean on) {
        BackendSlot slot = requireSlot(index);
        slot.live().draining = on;
        events.refresh(slot, on ? "drained" : "draining ended");
    }

    public void blacklist(int index, Duration duration) {
        BackendSlot slot = requireSlot(index);
        slot.live().blacklist(System.nanoTime(), duration.toNanos());
        if (duration.isZero()) {
            events.refresh(slot, "blacklist lifted");
        } else {
            events.blacklisted(slot, "blacklisted for " + duration.toMillis() + " ms");
        }
    }

    private BackendSlot requireSlot(int index) {
        BackendSlot slot = table.slot(index);
        if (slot == null) {
            throw new IllegalArgumentException(
                    "no server " + index + " (expected one of 0.." + (table.slotCount() - 1) + ")");
        }
        return slot;
    }

    public Limits limits() {
        return table.limits();
    }

    public Modes modes() {
        return table.modes();
    }

    // ---- statistics ----------------------------------------------------------------------------------------

    public List<BackendStats> backendStats() {
        List<BackendStats> out = new ArrayList<>();
        for (Candidate c : table.candidates()) {
            out.add(((BackendSlot) c).stats());
        }
        return out;
    }

    public Optional<BackendStats> backendStats(int index) {
        BackendSlot slot = table.slot(index);
        return slot == null ? Optional.empty() : Optional.of(slot.stats());
    }

    public List<ClientStats> clientStats() {
        synchronized (lock) {
            return clients.snapshot(System.nanoTime(), table.limits().trackingTime().toNanos());
        }
    }
}
