package dev.pen.netty.internal.metrics;

import dev.pen.api.Candidate;
import dev.pen.netty.internal.relay.ConnectionEvents;
import dev.pen.netty.internal.relay.RelayContext;
import dev.pen.netty.internal.select.BackendSlot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Registers the balancer's figures with a Micrometer registry. Meters read the counters the relay keeps anyway
 * (function counters and gauges), so the relay does no extra work for metrics. Per-backend meters follow the
 * server table: {@link #refreshBackends()} registers new slots and removes emptied ones.
 */
public final class BalancerMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final RelayContext context;
    private final List<Meter> global = new ArrayList<>();
    private final Map<BackendSlot, List<Meter>> perBackend = new HashMap<>();

    public BalancerMetrics(MeterRegistry registry, RelayContext context, java.util.function.IntSupplier active) {
        this.registry = registry;
        this.context = context;
        global.add(Gauge.builder("pen.connections.active", active::getAsInt)
                .description("client connections open now").register(registry));
        ConnectionEvents events = context.events();
        global.add(counter("pen.connections", events, ConnectionEvents::relayed, "outcome", "relayed",
                "client connections relayed to a backend"));
        global.add(counter("pen.connections", events, ConnectionEvents::refused, "outcome", "refused",
                "client connections closed without a backend to try"));
        global.add(counter("pen.connections", events, ConnectionEvents::failed, "outcome", "failed",
                "client connections closed after every backend tried failed"));
        global.add(counter("pen.bytes", events, ConnectionEvents::bytesIn, "direction", "in",
                "bytes from clients to backends"));
        global.add(counter("pen.bytes", events, ConnectionEvents::bytesOut, "direction", "out",
                "bytes from backends to clients"));
        refreshBackends();
    }

    private Meter counter(String name, ConnectionEvents events, ToDoubleFunction<ConnectionEvents> figure, String tag,
            String value, String description) {
        return FunctionCounter.builder(name, events, figure).tags(tag, value).description(description)
                .baseUnit(name.equals("pen.bytes") ? "bytes" : null).register(registry);
    }

    /** Brings the per-backend meters in line with the server table. */
    public synchronized void refreshBackends() {
        List<BackendSlot> now = new ArrayList<>();
        for (Candidate c : context.selector().table().candidates()) {
            now.add((BackendSlot) c);
        }
        perBackend.entrySet().removeIf(e -> {
            if (!now.contains(e.getKey())) {
                e.getValue().forEach(registry::remove);
                return true;
            }
            return false;
        });
        for (BackendSlot slot : now) {
            perBackend.computeIfAbsent(slot, this::register);
        }
    }

    private List<Meter> register(BackendSlot slot) {
        Tags tags = Tags.of("backend", slot.backend().address().toString(), "index", Integer.toString(slot.index()));
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder("pen.backend.connections.active", slot.live(), l -> l.active())
                .tags(tags).description("connections to this backend now").register(registry));
        meters.add(FunctionCounter.builder("pen.backend.connect.failures", slot.live(), l -> l.connectFailures())
                .tags(tags).description("failed or timed-out connects to this backend").register(registry));
        meters.add(Gauge.builder("pen.backend.blacklisted", slot.live(), l -> l.blacklistedNow() ? 1 : 0)
                .tags(tags).description("1 while this backend is blacklisted").register(registry));
        return meters;
    }

    @Override
    public synchronized void close() {
        global.forEach(registry::remove);
        perBackend.values().forEach(list -> list.forEach(registry::remove));
        perBackend.clear();
    }
}
