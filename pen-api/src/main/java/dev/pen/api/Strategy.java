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

    /**
     * Whether the selector sends a returning client to the server it remembers for it before asking the picker
     * (pen's client tracking, which {@link Modes#clientTracking()} may also turn off). True for pen's strategies; a
     * strategy whose answer for a client is already the same every time, and on every instance, answers false, so
     * that instances never drift apart after a failover.
     */
    default boolean tracksClients() {
        return true;
    }

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

    /**
     * Maglev consistent hashing with a table of {@link MaglevStrategy#DEFAULT_TABLE_SIZE} entries: the same client
     * goes to the same server on every balancer given the same servers, whatever their order; see
     * {@link MaglevStrategy}.
     */
    static Strategy maglev() {
        return BuiltinStrategies.MAGLEV;
    }

    /**
     * Maglev consistent hashing with a table of {@code tableSize} entries.
     *
     * @throws IllegalArgumentException unless {@code tableSize} is a prime from {@link MaglevStrategy#MIN_TABLE_SIZE}
     *     to {@link MaglevStrategy#MAX_TABLE_SIZE}
     */
    static Strategy maglev(int tableSize) {
        return new MaglevStrategy(tableSize);
    }
}
