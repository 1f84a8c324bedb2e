package dev.pen.launcher.control;

import dev.pen.api.BackendState;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ClientStats;
import dev.pen.api.ConnectionInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The live actions asked for before start-up ({@code server N blacklist T} and {@code server N drain 1} in an
 * {@code -o} command or the {@code -F} file), kept until the balancer runs and then applied to it. Until then
 * every figure is zero and nothing is connected. Thread-safe.
 */
public final class PendingActions implements LiveView {
    private final Supplier<BalancerConfig> config;
    private final Map<Integer, Long> blacklistedUntil = new HashMap<>();
    private final TreeSet<Integer> draining = new TreeSet<>();

    /** @param config the configuration being built, whose slots the figures describe */
    public PendingActions(Supplier<BalancerConfig> config) {
        this.config = config;
    }

    @Override
    public synchronized List<BackendStats> backends() {
        List<BackendStats> list = new ArrayList<>();
        for (int i = 0; i < config.get().backendSlots(); i++) {
            backend(i).ifPresent(list::add);
        }
        return list;
    }

    @Override
    public synchronized Optional<BackendStats> backend(int index) {
        long until = blacklistedUntil.getOrDefault(index, 0L);
        boolean blacklisted = until > System.currentTimeMillis();
        BackendState state = draining.contains(index) ? BackendState.DRAINING
                : blacklisted ? BackendState.BLACKLISTED : BackendState.UP;
        return config.get().backend(index).map(b -> LiveView.idle(index, b, blacklisted ? until : 0, state));
    }

    @Override
    public boolean beforeStart() {
        return true;
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
    public synchronized void blacklistBackend(int index, Duration duration) {
        blacklistedUntil.put(index, duration.isZero() ? 0L : System.currentTimeMillis() + duration.toMillis());
    }

    @Override
    public synchronized void drainBackend(int index, boolean on) {
        if (on) {
            draining.add(index);
        } else {
            draining.remove(index);
        }
    }

    /**
     * Applies what is still due to the balancer just started: blacklists with their time left, and drains; those
     * for a slot that stayed empty are dropped.
     */
    public synchronized void applyTo(Balancer balancer) {
        long now = System.currentTimeMillis();
        blacklistedUntil.forEach((index, until) -> {
            if (until > now && balancer.backend(index).isPresent()) {
                balancer.blacklistBackend(index, Duration.ofMillis(until - now));
            }
        });
        for (int index : draining) {
            if (balancer.backend(index).isPresent()) {
                balancer.drainBackend(index, true);
            }
        }
        blacklistedUntil.clear();
        draining.clear();
    }
}
