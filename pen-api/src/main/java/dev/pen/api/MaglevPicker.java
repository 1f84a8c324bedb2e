package dev.pen.api;

import java.util.List;

/**
 * {@link MaglevStrategy}'s picker: a lookup in the table built for the candidate list, and, when that entry's
 * server is unavailable or was tried, a walk along the client's own sequence of entries. The table is built by
 * {@link #prepare} when the balancer applies a configuration, or else by the first pick on a new list; it is
 * published whole through a volatile field, so a build on one thread and picks on another never see half a table.
 */
final class MaglevPicker implements Picker {
    private static final Pick NO_SERVERS = Pick.none("no server with a weight above 0");
    private static final Pick ALL_UNAVAILABLE = Pick.none("no available server");

    private final int size;
    private volatile MaglevTable table;
    /**
     * The table {@link #prepare} replaced: picks on the previous candidate list go on until the selector puts the
     * new list in force, and must not build a table again for it.
     */
    private volatile MaglevTable replaced;

    MaglevPicker(int size) {
        this.size = size;
    }

    @Override
    public void prepare(List<Candidate> candidates) {
        MaglevTable t = table;
        if (t == null || t.from != candidates) {
            MaglevTable built = MaglevTable.build(candidates, size, t);
            replaced = t;
            table = built;
        }
    }

    private MaglevTable tableFor(List<Candidate> candidates) {
        MaglevTable t = table;
        if (t != null && t.from == candidates) {
            return t;
        }
        MaglevTable r = replaced;
        if (r != null && r.from == candidates) {
            return r;
        }
        // Never prepared for this list (a picker used outside a balancer): built once, then kept.
        t = MaglevTable.build(candidates, size, t);
        table = t;
        return t;
    }

    /** The table in force, for tests. */
    MaglevTable table() {
        return table;
    }

    @Override
    public Pick pick(PickContext context) {
        MaglevTable t = tableFor(context.candidates());
        if (t.servers.length == 0) {
            return NO_SERVERS;
        }
        long h = MaglevTable.clientHash(context.clientAddress());
        int first = t.entries[t.start(h)];
        if (t.servers[first].available()) {
            return Pick.of(t.servers[first].index());
        }
        int i = walk(t, h, List.of());
        return i < 0 ? ALL_UNAVAILABLE : Pick.of(i);
    }

    /** The next server along the client's own sequence that is available and not yet tried. */
    @Override
    public int next(PickContext context) {
        MaglevTable t = tableFor(context.candidates());
        if (t.servers.length == 0) {
            return Strategy.NO_BACKEND;
        }
        int i = walk(t, MaglevTable.clientHash(context.clientAddress()), context.tried());
        return i < 0 ? Strategy.NO_BACKEND : i;
    }

    /**
     * The index of the first server along the client's sequence of entries that is available and not in
     * {@code tried}, or -1. The servers are looked over first, so that a walk is made only when it ends at one:
     * then it takes about size / (entries of the servers left) steps, at most the table's size.
     */
    private static int walk(MaglevTable t, long h, List<Integer> tried) {
        boolean any = false;
        for (int s = 0; s < t.servers.length && !any; s++) {
            Candidate c = t.servers[s];
            any = t.held[s] > 0 && c.available() && !tried.contains(c.index());
        }
        if (!any) {
            return -1;
        }
        int step = t.step(h);
        int p = t.start(h);
        for (int n = 0; n < t.entries.length; n++, p = t.next(p, step)) {
            Candidate c = t.servers[t.entries[p]];
            if (c.available() && !tried.contains(c.index())) {
                return c.index();
            }
        }
        return -1;
    }
}
