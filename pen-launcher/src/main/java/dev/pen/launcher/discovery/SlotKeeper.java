package dev.pen.launcher.discovery;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps the slots of the discovered servers (SRV answers, a servers file) in step with what is discovered, by
 * address: a server keeps its slot whatever the order of the answers; a new one takes the first free slot; one no
 * longer discovered is drained (no new clients, its tracked clients choose again) and its slot emptied once its
 * last connection has ended, unless it comes back first, which ends the draining. A slot that something else
 * (a control command) gave another address or emptied is no longer kept. Used by one thread only (discovery's).
 */
final class SlotKeeper {
    private final Consumer<String> changes;
    private final Trouble trouble;
    /** The slot of each discovered address. */
    private Map<Address, Integer> owned = new LinkedHashMap<>();
    /** The discovered addresses drained here, whose slots are emptied once idle. */
    private final Set<Address> draining = new HashSet<>();

    /** What one pass makes of a configuration: the new one, the slots kept, and what to drain or take back. */
    record Plan(BalancerConfig next, Map<Address, Integer> owned, List<Address> drain, List<Address> undrain) {
    }

    /** @param changes where a line about each slot filled, drained or emptied goes */
    SlotKeeper(Consumer<String> changes, Trouble trouble) {
        this.changes = changes;
        this.trouble = trouble;
    }

    /**
     * The configuration with {@code wanted} (literal addresses) in its slots. Changes nothing here: what it
     * returns is committed with {@link #commit} once in force.
     */
    Plan plan(BalancerConfig c, Map<Address, Backend> wanted) {
        Map<Address, Integer> kept = new LinkedHashMap<>();
        owned.forEach((address, index) -> {
            if (c.backend(index).map(b -> b.address().equals(address)).orElse(false)) {
                kept.put(address, index);
            }
        });
        List<Backend> slots = new ArrayList<>(c.backends());
        List<Address> undrain = new ArrayList<>();
        boolean full = false;
        for (Map.Entry<Address, Backend> e : wanted.entrySet()) {
            Integer index = kept.get(e.getKey());
            if (index != null) {
                // The spec's fields follow the source; what a spec does not carry (acl, checks) stays.
                slots.set(index, e.getValue().withSettingsOf(slots.get(index)));
                if (draining.contains(e.getKey())) {
                    undrain.add(e.getKey());
                }
                continue;
            }
            int free = slots.indexOf(null);
            if (free < 0 && slots.size() >= BalancerConfig.MAX_SLOTS) {
                full = true;
                continue;
            }
            if (free < 0) {
                free = slots.size();
                slots.add(null);
            }
            slots.set(free, e.getValue());
            kept.put(e.getKey(), free);
        }
        if (full) {
            trouble.failed("table", "the server table is full (" + BalancerConfig.MAX_SLOTS
                    + " slots); discovered servers without a slot wait for one");
        } else {
            trouble.cleared("table", "every discovered server has a slot again");
        }
        List<Address> drain = new ArrayList<>();
        for (Address address : kept.keySet()) {
            if (!wanted.containsKey(address) && !draining.contains(address)) {
                drain.add(address);
            }
        }
        BalancerConfig.Builder b = c.toBuilder();
        for (int i = 0; i < slots.size(); i++) {
            Backend now = slots.get(i);
            if (i >= c.backendSlots() || !java.util.Objects.equals(now, c.backends().get(i))) {
                b.backend(i, now);
            }
        }
        return new Plan(b.build(), kept, drain, undrain);
    }

    /** Puts {@code plan}, now in force, into effect here and on {@code balancer}'s draining. */
    void commit(Plan plan, Balancer balancer) {
        plan.owned().forEach((address, index) -> {
            if (!owned.containsKey(address) || !owned.get(address).equals(index)) {
                changes.accept("discovery: server " + index + " is " + address);
            }
        });
        owned = new LinkedHashMap<>(plan.owned());
        draining.retainAll(owned.keySet());
        for (Address address : plan.undrain()) {
            draining.remove(address);
            drain(balancer, address, false);
            changes.accept("discovery: server " + owned.get(address) + " (" + address + ") is back; draining ended");
        }
        for (Address address : plan.drain()) {
            draining.add(address);
            drain(balancer, address, true);
            changes.accept("discovery: server " + owned.get(address) + " (" + address + ") is gone; draining");
        }
    }

    private void drain(Balancer balancer, Address address, boolean on) {
        if (balancer == null) {
            return;
        }
        try {
            balancer.drainBackend(owned.get(address), on);
        } catch (IllegalArgumentException e) {
            // emptied meanwhile: the next pass forgets it
        }
    }

    /** Brings {@code balancer} in step with {@code wanted}, then empties the drained slots that are idle. */
    void apply(Balancer balancer, Map<Address, Backend> wanted) {
        Plan[] plan = new Plan[1];
        try {
            balancer.update(c -> {
                plan[0] = plan(c, wanted);
                return plan[0].next();
            });
            trouble.cleared("update", "the balancer takes the discovered servers again");
        } catch (IllegalArgumentException | IllegalStateException e) {
            trouble.failed("update", "the discovered servers were refused: " + e.getMessage());
            return;
        }
        commit(plan[0], balancer);
        for (Address address : List.copyOf(draining)) {
            int index = owned.get(address);
            Optional<BackendStats> stats = balancer.backend(index);
            if (stats.isEmpty() || !stats.get().backend().address().equals(address)) {
                draining.remove(address);
                owned.remove(address);
            } else if (stats.get().activeConnections() == 0) {
                empty(balancer, index, address);
            }
        }
    }

    private void empty(Balancer balancer, int index, Address address) {
        try {
            balancer.update(c -> c.backend(index).map(b -> b.address().equals(address)).orElse(false)
                    ? c.toBuilder().backend(index, null).build() : c);
        } catch (IllegalArgumentException | IllegalStateException e) {
            trouble.failed("update", "slot " + index + " could not be emptied: " + e.getMessage());
            return;
        }
        draining.remove(address);
        owned.remove(address);
        changes.accept("discovery: server " + index + " (" + address + ") drained; slot emptied");
    }

    /** The slot of each discovered address, for tests and the start. */
    Map<Address, Integer> owned() {
        return Map.copyOf(owned);
    }
}
