package dev.pen.api;

/**
 * How a new client's backend is chosen: a stateless, shareable value that makes {@link Picker}s. The selector
 * around it owns everything else (client tracking, limits, blacklist, failover, stubborn mode, the emergency and
 * abuse servers), so a strategy only answers "which one".
 *
 * <p>pen's built-ins are {@link #roundRobin()}, {@link #hash()}, {@link #weight()} and {@link #priority()};
 * {@link #penModes()} (the default) picks among them by the balancer's current {@link Modes}, as pen does: prio,
 * else weight, else hash, else round robin.
 */
@FunctionalInterface
public interface Strategy {

    /** Backend index meaning "no backend". */
    int NO_BACKEND = -3;

    /** A new picker with its own state (a round-robin position, say), used by one balancer. */
    Picker newPicker();

    /** pen's selection, following the balancer's mode flags (the default). */
    static Strategy penModes() {
        return BuiltinStrategies.PEN_MODES;
    }

    /** The next available backend after the last one chosen; the first choice is backend 1, as in pen. */
    static Strategy roundRobin() {
        return BuiltinStrategies.ROUND_ROBIN;
    }

    /**
     * A hash of the whole client address (and its port too in round-robin mode) modulo the number of backends,
     * the same on every run and every instance; unavailable backends are left to failover, so that a client's
     * choice does not move when another backend fails.
     */
    static Strategy hash() {
        return BuiltinStrategies.HASH;
    }

    /** The available backend with the fewest connections per unit of weight; weight 0 takes no new clients. */
    static Strategy weight() {
        return BuiltinStrategies.WEIGHT;
    }

    /** The available backend with the lowest priority value; ties go to the lowest index. */
    static Strategy priority() {
        return BuiltinStrategies.PRIORITY;
    }
}
