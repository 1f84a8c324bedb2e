package dev.pen.api;

/**
 * Maglev consistent hashing (Eisenbud et al., NSDI 2016): a lookup table of {@code tableSize} entries, a prime,
 * filled from each server's address alone, so that every balancer given the same servers (in any order, in any
 * process, after any restart) sends a client to the same server, and a change of one server moves few clients.
 * Made by {@link Strategy#maglev()} or {@link Strategy#maglev(int)}.
 *
 * <p>What the table is built from: each server with a weight above 0 (no weight given counts as 1) whose address
 * is not the wildcard address, keyed by its address text ({@code host:port} with an IP literal in canonical form
 * and a host name in lower case, or the Unix socket path). Its permutation of the table is an offset and a skip
 * taken from two 64-bit hashes of that text (FNV-1a, then murmur3's 64-bit finaliser with two fixed constants);
 * the servers take turns, in the order of their keys, claiming the next free entry of their permutation, a server
 * of weight w taking w turns for every {@code max weight} turns of the heaviest, so its share is about w / (sum of
 * weights). The table is rebuilt only when that list of keys and weights changes, never per pick.
 *
 * <p>A client's entry is its IP address (not its port; an IPv4-mapped IPv6 address as the IPv4 address) hashed the
 * same way, modulo the table size. When that entry's server is not {@link Candidate#available()} (blacklisted,
 * down by its checks, draining), the table is left as it is: that client walks its own sequence of entries
 * (a start and a step from its hash; the step visits every entry since the size is prime) to the first available
 * server, so only that server's clients move. Failover after a refused or failed attempt continues along the same
 * sequence, skipping the servers tried.
 *
 * <p>The balancer's remembered server for a returning client is not consulted ({@link #tracksClients()} is
 * false), as with pen's {@code -r}: the table already sends a client to the same server every time, and balancers
 * side by side never drift apart after a failover. pen's hash, weight and prio mode flags do not apply.
 *
 * @param tableSize the number of table entries: a prime from {@link #MIN_TABLE_SIZE} to {@link #MAX_TABLE_SIZE},
 *     best at least 100 times the number of servers
 */
public record MaglevStrategy(int tableSize) implements Strategy {

    /** The table size of {@link Strategy#maglev()}, the paper's. */
    public static final int DEFAULT_TABLE_SIZE = 65_537;
    /** The smallest table size taken. */
    public static final int MIN_TABLE_SIZE = 251;
    /** The largest table size taken (a table of this size holds 4 MB). */
    public static final int MAX_TABLE_SIZE = 1_000_003;

    /** Checks that the size is a prime within the bounds. */
    public MaglevStrategy {
        if (tableSize < MIN_TABLE_SIZE || tableSize > MAX_TABLE_SIZE || !isPrime(tableSize)) {
            throw new IllegalArgumentException("unexpected Maglev table size: " + tableSize + " (expected a prime from "
                    + MIN_TABLE_SIZE + " to " + MAX_TABLE_SIZE + ")");
        }
    }

    @Override
    public Picker newPicker() {
        return new MaglevPicker(tableSize);
    }

    /** False: a client's server comes from the table every time, never from the client table. */
    @Override
    public boolean tracksClients() {
        return false;
    }

    static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
