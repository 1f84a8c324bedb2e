package dev.pen.api;

/**
 * pen's selection mode flags: {@code hash} (-h), {@code roundRobin} (-r: ignore the client table when choosing),
 * {@code stubborn} (-s: never fail over), {@code weight} (-W) and {@code prio}. With the built-in strategy the
 * algorithm is prio, else weight, else hash, else round robin.
 */
public record Modes(boolean hash, boolean roundRobin, boolean stubborn, boolean weight, boolean prio) {

    /** pen's defaults: every flag off. */
    public static final Modes DEFAULT = new Modes(false, false, false, false, false);

    /** A copy with hash selection (pen's -h) on or off: the client's address picks the server. */
    public Modes withHash(boolean on) {
        return new Modes(on, roundRobin, stubborn, weight, prio);
    }

    /**
     * A copy with client tracking on (pen's default) or off (pen's -r): with tracking, a returning client goes back
     * to the server it had while its slot in the client table lasts; without, every connection is chosen afresh.
     */
    public Modes withClientTracking(boolean on) {
        return new Modes(hash, !on, stubborn, weight, prio);
    }

    /** Whether a returning client goes back to its last server: pen's default, off with -r. */
    public boolean clientTracking() {
        return !roundRobin;
    }

    /**
     * pen's -r under its own name: {@code true} turns client tracking off. The selection strategy is unchanged.
     *
     * @deprecated use {@link #withClientTracking(boolean)} with the opposite value, which says what it does
     */
    @Deprecated
    public Modes withRoundRobin(boolean on) {
        return withClientTracking(!on);
    }

    /** A copy with stubborn mode (pen's -s) on or off: when the chosen server fails, no other is tried. */
    public Modes withStubborn(boolean on) {
        return new Modes(hash, roundRobin, on, weight, prio);
    }

    /** A copy with weight selection (pen's -W) on or off: servers chosen by load relative to their weight. */
    public Modes withWeight(boolean on) {
        return new Modes(hash, roundRobin, stubborn, on, prio);
    }

    /** A copy with priority selection on or off: the server of highest priority (lowest number) that can take one. */
    public Modes withPrio(boolean on) {
        return new Modes(hash, roundRobin, stubborn, weight, on);
    }

    /** pen's {@code mode} reply: {@code no hash no roundrobin no stubborn no weight no prio} and so on. */
    @Override
    public String toString() {
        return flag(hash, "hash") + " " + flag(roundRobin, "roundrobin") + " " + flag(stubborn, "stubborn") + " "
                + flag(weight, "weight") + " " + flag(prio, "prio");
    }

    private static String flag(boolean on, String name) {
        return on ? name : "no " + name;
    }
}
