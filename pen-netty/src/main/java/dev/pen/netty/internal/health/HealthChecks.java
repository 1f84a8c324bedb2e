package dev.pen.netty.internal.health;

import dev.pen.api.BalancerConfig;
import dev.pen.api.Candidate;
import dev.pen.api.HealthCheck;
import dev.pen.netty.internal.select.BackendLive;
import dev.pen.netty.internal.select.BackendSlot;
import dev.pen.netty.internal.select.ServerTable;
import dev.pen.netty.internal.select.StateEvents;
import dev.pen.netty.internal.transport.ChosenTransport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The active health checks of one balancer: one {@link ServerCheck} for each server whose settings ask for one,
 * each on one of the balancer's event loops, apart from the relay. {@link #apply} follows each new configuration:
 * a server whose settings and address are unchanged keeps its check, counters and state; a changed one gets a
 * new check on the same event loop, keeping its state; a server no longer checked is up again as far as checks go.
 */
public final class HealthChecks {
    private final ChosenTransport transport;
    private final EventLoopGroup group;
    private final StateEvents events;
    /** The check of each checked server, by its live figures (which a server keeps while its address does). */
    private Map<BackendLive, ServerCheck> running = new IdentityHashMap<>();
    private boolean closed;

    public HealthChecks(ChosenTransport transport, EventLoopGroup group, StateEvents events) {
        this.transport = transport;
        this.group = group;
        this.events = events;
    }

    /** Starts, keeps, changes or stops the checks so that they follow {@code config}, whose servers {@code table} holds. */
    public synchronized void apply(ServerTable table, BalancerConfig config) {
        if (closed) {
            return;
        }
        Map<BackendLive, ServerCheck> next = new IdentityHashMap<>();
        for (Candidate c : table.candidates()) {
            BackendSlot slot = (BackendSlot) c;
            HealthCheck.Resolved settings = config.healthCheck(slot.backend());
            ServerCheck old = running.remove(slot.live());
            if (!settings.checks() || slot.dead()) {
                if (old != null) {
                    old.stop();
                    slot.live().clearHealth();
                    events.refresh(slot, "checks turned off");
                }
                continue;
            }
            if (old != null && old.settings().equals(settings) && old.address().equals(slot.address())) {
                old.retarget(slot);
                next.put(slot.live(), old);
                continue;
            }
            // The same event loop as before, so that what the old check still has in flight is seen as stopped.
            EventLoop loop = old != null ? old.loop() : group.next();
            if (old != null) {
                old.stop();
            }
            ServerCheck check = new ServerCheck(slot, settings, loop, transport, events);
            next.put(slot.live(), check);
            check.start();
        }
        for (ServerCheck gone : running.values()) {
            gone.stop();
        }
        running = next;
    }

    /** The number of servers being checked. */
    public synchronized int checked() {
        return running.size();
    }

    /** Stops every check; nothing starts afterwards. */
    public synchronized void close() {
        closed = true;
        for (ServerCheck c : running.values()) {
            c.stop();
        }
        running = new IdentityHashMap<>();
    }
}
