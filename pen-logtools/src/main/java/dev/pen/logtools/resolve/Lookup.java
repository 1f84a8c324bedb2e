package dev.pen.logtools.resolve;

/** The outcome of one reverse lookup: a name, or why there is none. */
record Lookup(Outcome outcome, String name) {

    /** Why a lookup did or did not give a name. */
    enum Outcome { NAME, NO_NAME, TIMED_OUT, NOT_CONFIRMED }

    static final Lookup NO_NAME = new Lookup(Outcome.NO_NAME, null);
    static final Lookup TIMED_OUT = new Lookup(Outcome.TIMED_OUT, null);
    static final Lookup NOT_CONFIRMED = new Lookup(Outcome.NOT_CONFIRMED, null);

    static Lookup name(String name) {
        return new Lookup(Outcome.NAME, name);
    }
}
