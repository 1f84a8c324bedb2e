package dev.pen.netty.internal.select;

import dev.pen.api.AccessList;
import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Candidate;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.Strategy;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * What selection works from, taken whole from one {@link BalancerConfig}: the server slots with their resolved
 * addresses and live figures, the emergency and abuse servers, the mode flags, limits, access lists and strategy.
 * Immutable apart from the backends' live figures; a new configuration makes a new table.
 */
public final class ServerTable {
    private final BackendSlot[] slots;
    private final List<Candidate> candidates;
    private final BackendSlot emergency;
    private final BackendSlot abuse;
    private final Modes modes;
    private final Limits limits;
    private final AccessList[] accessLists;
    private final int clientAcl;
    private final Strategy strategy;

    private ServerTable(BackendSlot[] slots, BackendSlot emergency, BackendSlot abuse, BalancerConfig config) {
        this.slots = slots;
        List<Candidate> c = new ArrayList<>(slots.length);
        for (BackendSlot slot : slots) {
            if (slot != null) {
                c.add(slot);
            }
        }
        this.candidates = Collections.unmodifiableList(c);
        this.emergency = emergency;
        this.abuse = abuse;
        this.modes = config.modes();
        this.limits = config.limits();
        this.accessLists = config.accessLists().toArray(new AccessList[0]);
        this.clientAcl = config.clientAcl();
        this.strategy = config.strategy();
    }

    /**
     * The table for {@code config}. A slot whose backend keeps its address from {@code previous} (null at start)
     * keeps its resolved address and live figures; any other backend is resolved with {@code resolver}, which
     * throws {@link IllegalArgumentException} naming a host it cannot resolve. Nothing is changed when it throws.
     */
    public static ServerTable prepare(BalancerConfig config, ServerTable previous,
            Function<Backend, SocketAddress> resolver) {
        List<Backend> backends = config.backends();
        BackendSlot[] s = new BackendSlot[backends.size()];
        for (int i = 0; i < s.length; i++) {
            Backend b = backends.get(i);
            s[i] = b == null ? null : slot(i, b, previous == null ? null : previous.slot(i), resolver);
        }
        BackendSlot e = config.emergency() == null ? null : slot(Backend.EMERGENCY_INDEX, config.emergency(),
                previous == null ? null : previous.emergency, resolver);
        BackendSlot a = config.abuse() == null ? null : slot(Backend.ABUSE_INDEX, config.abuse(),
                previous == null ? null : previous.abuse, resolver);
        return new ServerTable(s, e, a, config);
    }

    private static BackendSlot slot(int index, Backend backend, BackendSlot old,
            Function<Backend, SocketAddress> resolver) {
        if (old != null && old.backend().address().equals(backend.address())) {
            return old.backend().equals(backend) ? old : new BackendSlot(index, backend, old.address(), old.live());
        }
        return new BackendSlot(index, backend, resolver.apply(backend), new BackendLive());
    }

    /** Slot {@code index}, the emergency or abuse server for their indexes, or {@code null}. */
    public BackendSlot slot(int index) {
        if (index >= 0) {
            return index < slots.length ? slots[index] : null;
        }
        return index == Backend.EMERGENCY_INDEX ? emergency : index == Backend.ABUSE_INDEX ? abuse : null;
    }

    /** The number of slots, empty ones included. */
    public int slotCount() {
        return slots.length;
    }

    /** The occupied slots in index order; the same list until the next configuration. */
    public List<Candidate> candidates() {
        return candidates;
    }

    public BackendSlot emergency() {
        return emergency;
    }

    public BackendSlot abuse() {
        return abuse;
    }

    public Modes modes() {
        return modes;
    }

    public Limits limits() {
        return limits;
    }

    public AccessList accessList(int number) {
        return accessLists[number];
    }

    public int clientAcl() {
        return clientAcl;
    }

    public Strategy strategy() {
        return strategy;
    }
}
