package dev.pen.launcher.discovery;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Server discovery for a running balancer: the command line's names followed on their records' time to live
 * ({@code --dns-refresh}), slots filled from SRV records ({@code --srv}) and from a servers file
 * ({@code --servers-file}), asking {@code --dns-server} or the system's resolver. {@link #prepare} resolves
 * everything for the start, where any failure is fatal; {@link #follow} then runs on a thread of its own, never a
 * balancer's event loop, once a second, and applies every change through {@link Balancer#update}. Later failures
 * keep the last good servers and are told once.
 */
public final class Discovery implements AutoCloseable {
    /** How often the servers file is looked at and drained slots are checked. */
    static final long TICK_MILLIS = 1000;

    private final DnsLookup lookup;
    private final Names names;
    private final Trouble trouble;
    private final NamedSlots named;
    private final DiscoveredSet discovered;
    private final SlotKeeper keeper;
    private final BalancerConfig config;
    private final java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
    private ScheduledExecutorService thread;

    private Discovery(DiscoverySettings settings, BalancerConfig commanded, Consumer<String> problems,
            Consumer<String> changes) {
        this.lookup = new DnsLookup(settings.dnsServer());
        try {
            this.trouble = new Trouble(problems);
            this.names = new Names(lookup, trouble);
            this.named = new NamedSlots(names, changes);
            int defaultPort = commanded.listen().isUnix() ? 0 : commanded.listen().port();
            this.discovered = new DiscoveredSet(lookup, names, trouble, settings.srv(),
                    settings.serversFile() == null ? null : new ServersFile(settings.serversFile(), defaultPort));
            this.keeper = new SlotKeeper(changes, trouble);
            long now = System.nanoTime();
            BalancerConfig c = named.resolveAtStart(commanded, settings.dnsRefresh(), now);
            Map<Address, Backend> wanted = discovered.atStart(now);
            SlotKeeper.Plan plan = keeper.plan(c, wanted);
            keeper.commit(plan, null);
            this.config = plan.next();
        } catch (RuntimeException e) {
            lookup.close();
            throw e;
        }
    }

    /**
     * Resolves the servers of {@code commanded} given by name, reads the servers file and asks for the SRV
     * records, for the start.
     *
     * @param problems where a problem goes, told once (a name that stops resolving, a bad servers file)
     * @param changes where a line about each slot filled, moved, drained or emptied goes
     * @throws IllegalArgumentException one line naming what failed: {@code unknown or invalid address [NAME]}, the
     *     servers file's bad line, or an SRV name without records
     */
    public static Discovery prepare(DiscoverySettings settings, BalancerConfig commanded, Consumer<String> problems,
            Consumer<String> changes) {
        return new Discovery(settings, commanded, problems, changes);
    }

    /** The configuration to start with: names resolved, discovered servers in their slots. */
    public BalancerConfig config() {
        return config;
    }

    /** Follows the sources for {@code balancer} from now on, when there is anything to follow. */
    public synchronized void follow(Balancer balancer) {
        if (thread != null || named.isEmpty() && discovered.isEmpty()) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pen-discovery");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> tick(balancer), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick(Balancer balancer) {
        try {
            long now = System.nanoTime();
            named.refresh(balancer, now);
            if (!discovered.isEmpty()) {
                keeper.apply(balancer, discovered.now(now));
            }
            Set<String> followed = new HashSet<>(named.followed());
            followed.addAll(discovered.followed());
            names.retain(followed);
            trouble.cleared("tick", "discovery runs again");
        } catch (RuntimeException e) {
            // A balancer closed under it, or a bug: told once, and the next tick tries again.
            trouble.failed("tick", "discovery failed: " + e);
        }
        ticks.incrementAndGet();
    }

    /** How many passes were made since {@link #follow}: tests wait on it to know that one has run. */
    long ticks() {
        return ticks.get();
    }

    /** How many name lookups were made since the start. */
    long lookups() {
        return names.lookups();
    }

    /** Stops following and closes the resolver. */
    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            try {
                thread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lookup.close();
    }
}
