package dev.pen.launcher.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The address each followed name stands for, asked again once its time to live has passed. A name keeps the
 * address it has while the answer still lists it, whatever the order of the answer, and otherwise takes the
 * answer's first. A name that stops resolving keeps its last address; that is told once, and once again when it
 * resolves again. Used by one thread only (discovery's).
 */
final class Names {
    /** The longest wait before asking again for a name that did not resolve. */
    static final Duration MAX_RETRY = Duration.ofSeconds(8);

    private final DnsLookup lookup;
    private final Trouble trouble;
    private final Map<String, Entry> entries = new HashMap<>();
    private final AtomicLong lookups = new AtomicLong();

    /** A name's chosen address, when to ask again, and the wait after a failure (doubling up to the bound). */
    private static final class Entry {
        InetAddress address;
        long dueNanos;
        long retryNanos = DnsLookup.MIN_TTL.toNanos();
    }

    Names(DnsLookup lookup, Trouble trouble) {
        this.lookup = lookup;
        this.trouble = trouble;
    }

    /**
     * The address of {@code name} now: the one it has until its time to live passes, then what the answer says.
     *
     * @return null when it never resolved (told once)
     */
    InetAddress address(String name, long nowNanos) {
        Entry e = entries.computeIfAbsent(name, n -> new Entry());
        if (e.address != null && nowNanos - e.dueNanos < 0) {
            return e.address;
        }
        if (e.address == null && e.dueNanos != 0 && nowNanos - e.dueNanos < 0) {
            return null;
        }
        try {
            DnsLookup.Addresses found = ask(name);
            e.address = choose(found.addresses(), e.address);
            e.dueNanos = nowNanos + found.ttl().toNanos();
            e.retryNanos = DnsLookup.MIN_TTL.toNanos();
            trouble.cleared(name, name + " resolves again, to " + e.address.getHostAddress());
        } catch (UnknownHostException ex) {
            e.dueNanos = nowNanos + e.retryNanos;
            e.retryNanos = Math.min(e.retryNanos * 2, MAX_RETRY.toNanos());
            trouble.failed(name, "can't resolve " + ex.getMessage() + (e.address == null ? ""
                    : "; keeping its last address " + e.address.getHostAddress()));
        }
        return e.address;
    }

    /**
     * The address of {@code name} asked now, for the start: it is then followed from there.
     *
     * @throws UnknownHostException when it does not resolve
     */
    InetAddress resolveNow(String name, long nowNanos) throws UnknownHostException {
        DnsLookup.Addresses found = ask(name);
        Entry e = entries.computeIfAbsent(name, n -> new Entry());
        e.address = choose(found.addresses(), e.address);
        e.dueNanos = nowNanos + found.ttl().toNanos();
        return e.address;
    }

    private DnsLookup.Addresses ask(String name) throws UnknownHostException {
        lookups.incrementAndGet();
        return lookup.addresses(name);
    }

    /** Keeps {@code current} while the answer lists it, so that reordered answers move nothing. */
    private static InetAddress choose(List<InetAddress> answer, InetAddress current) {
        return current != null && answer.contains(current) ? current : answer.get(0);
    }

    /** Forgets names no longer followed (a servers file or SRV answer that dropped them). */
    void retain(java.util.Set<String> followed) {
        entries.keySet().retainAll(followed);
    }

    /** How many lookups were made: tests wait on it to know that a name was asked again. */
    long lookups() {
        return lookups.get();
    }
}
