package dev.pen.api;

/**
 * pen's selection mode flags: {@code hash} (-h), {@code roundRobin} (-r: ignore the client table when choosing),
 * {@code stubborn} (-s: never fail over), {@code weight} (-W) and {@code prio}. With the built-in strategy the
 * algorithm is prio, else weight, else hash, else round robin.
 */
public record Modes(boolean hash, boolean roundRobin, boolean stubborn, boolean weight, boolean prio) {

    /** pen's defaults: every flag off. */
    public static final Modes DEFAULT = new Modes(false, false, false, false, false);

    public Modes withHash(boolean on) {
        return new Modes(on, roundRobin, stubborn, weight, prio);
    }

    public Modes withRoundRobin(boolean on) {
        return new Modes(hash, on, stubborn, weight, prio);
    }

    public Modes withStubborn(boolean on) {
        return new Modes(hash, roundRobin, on, weight, prio);
    }

    public Modes withWeight(boolean on) {
        return new Modes(hash, roundRobin, stubborn, on, prio);
    }

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
