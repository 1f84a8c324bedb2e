package dev.pen.launcher.discovery;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.HostPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The command line's servers given by name (positional, {@code -e}, {@code -B}): each keeps its slot, which holds
 * the name's address (its first, or the one it has while the answer still lists it). Resolved at start through
 * discovery's resolver; with {@code --dns-refresh}, asked again on the record's time to live and the slot given
 * the new address when it changes (connections to the old one carry on until they end). A slot that a control
 * command gave another address is no longer followed. Used by one thread only (discovery's).
 */
final class NamedSlots {
    private final Names names;
    private final Consumer<String> changes;
    private final List<Slot> slots = new ArrayList<>();

    /** A slot (index, or pen's -1 and -2 for -e and -B), the name, and the address it holds now. */
    private static final class Slot {
        final int index;
        final String host;
        Address current;

        Slot(int index, String host, Address current) {
            this.index = index;
            this.host = host;
            this.current = current;
        }
    }

    NamedSlots(Names names, Consumer<String> changes) {
        this.names = names;
        this.changes = changes;
    }

    /**
     * {@code c} with every server given by name at its address now; with {@code follow}, they are followed from
     * then on.
     *
     * @throws IllegalArgumentException {@code unknown or invalid address [NAME]} for a name that does not resolve
     */
    BalancerConfig resolveAtStart(BalancerConfig c, boolean follow, long nowNanos) {
        BalancerConfig.Builder b = c.toBuilder();
        for (int i = -2; i < c.backendSlots(); i++) {
            Backend backend = backend(c, i);
            if (backend == null || backend.address().isUnix() || HostPort.ipLiteral(backend.address().host())
                    .isPresent()) {
                continue;
            }
            String host = backend.address().host();
            InetAddress found;
            try {
                found = names.resolveNow(host, nowNanos);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown or invalid address [" + host + "]");
            }
            Address literal = Address.of(found.getHostAddress(), backend.address().port());
            set(b, i, backend.withAddress(literal));
            if (follow) {
                slots.add(new Slot(i, host, literal));
            }
        }
        return b.build();
    }

    /** Asks again for the names whose time to live has passed, and moves the slots whose address changed. */
    void refresh(Balancer balancer, long nowNanos) {
        for (Slot slot : List.copyOf(slots)) {
            InetAddress found = names.address(slot.host, nowNanos);
            if (found == null) {
                continue;
            }
            Address next = Address.of(found.getHostAddress(), slot.current.port());
            if (next.equals(slot.current)) {
                continue;
            }
            Address was = slot.current;
            boolean[] moved = new boolean[1];
            try {
                balancer.update(c -> {
                    Backend now = backend(c, slot.index);
                    moved[0] = now != null && now.address().equals(was);
                    if (!moved[0]) {
                        return c;
                    }
                    BalancerConfig.Builder b = c.toBuilder();
                    set(b, slot.index, now.withAddress(next));
                    return b.build();
                });
            } catch (IllegalArgumentException | IllegalStateException e) {
                changes.accept("discovery: server " + slot.index + " not moved to " + next + ": " + e.getMessage());
                continue;
            }
            if (moved[0]) {
                slot.current = next;
                changes.accept("discovery: server " + slot.index + " (" + slot.host + ") moved from " + was + " to "
                        + next);
            } else {
                slots.remove(slot);
                changes.accept("discovery: server " + slot.index + " was changed by a command; " + slot.host
                        + " is no longer followed");
            }
        }
    }

    /** The names followed. */
    Set<String> followed() {
        return slots.stream().map(s -> s.host).collect(Collectors.toSet());
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    private static Backend backend(BalancerConfig c, int index) {
        return index == Backend.EMERGENCY_INDEX ? c.emergency() : index == Backend.ABUSE_INDEX ? c.abuse()
                : c.backend(index).orElse(null);
    }

    private static void set(BalancerConfig.Builder b, int index, Backend backend) {
        if (index == Backend.EMERGENCY_INDEX) {
            b.emergency(backend);
        } else if (index == Backend.ABUSE_INDEX) {
            b.abuse(backend);
        } else {
            b.backend(index, backend);
        }
    }
}
