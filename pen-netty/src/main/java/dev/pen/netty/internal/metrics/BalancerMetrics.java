package dev.pen.netty.internal.metrics;

import dev.pen.api.BackendState;
import dev.pen.api.Candidate;
import dev.pen.netty.internal.relay.ConnectionEvents;
import dev.pen.netty.internal.relay.RelayContext;
import dev.pen.netty.internal.select.BackendLive;
import dev.pen.netty.internal.select.BackendSlot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Registers one balancer's figures with a Micrometer registry, every meter tagged {@code balancer=NAME} so that
 * balancers sharing a registry keep apart, and closing one removes its meters only. Counters and gauges read the
 * figures the relay keeps anyway (function counters and gauges); the two timers per server hear each connection
 * once, when it connects and when it ends, never per byte. Per-server meters follow the server table:
 * {@link #refreshBackends()} registers new servers and removes those gone. Netty's event loops are measured by
 * Micrometer's own binder.
 */
public final class BalancerMetrics implements AutoCloseable {
    /** The tag naming the balancer on every meter. */
    public static final String BALANCER_TAG = "balancer";
    private static final Duration[] CONNECT_BUCKETS = millis(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500,
            5000, 10_000);
    private static final Duration[] DURATION_BUCKETS = millis(10, 100, 1000, 10_000, 60_000, 600_000, 3_600_000);

    private final MeterRegistry registry;
    private final RelayContext context;
    private final String name;
    private final Tags balancer;
    private final List<Meter> global = new ArrayList<>();
    private final Map<BackendLive, ServerMeters> perServer = new HashMap<>();

    /**
     * Registers the balancer-wide meters, the event loops' and the servers' of the table in force.
     *
     * @throws IllegalArgumentException when {@code registry} already holds meters of a balancer named {@code name}
     */
    public BalancerMetrics(MeterRegistry registry, String name, RelayContext context, IntSupplier active,
            Iterable<EventExecutor> eventLoops) {
        this.registry = registry;
        this.context = context;
        this.name = name;
        this.balancer = Tags.of(BALANCER_TAG, name);
        synchronized (registry) {
            if (!registry.find("pen.connections.active").tag(BALANCER_TAG, name).meters().isEmpty()) {
                throw new IllegalArgumentException("a balancer named " + name + " already has meters in this "
                        + "registry (expected a name of its own: BalancerConfig.builder().name(...))");
            }
            global.add(Gauge.builder("pen.connections.active", active::getAsInt).tags(balancer)
                    .description("client connections open now").register(registry));
        }
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
        new NettyEventExecutorMetrics(eventLoops, balancer).bindTo(registry);
        for (Meter m : registry.getMeters()) {
            if (m.getId().getName().startsWith("netty.eventexecutor.") && name.equals(m.getId().getTag(BALANCER_TAG))) {
                global.add(m);
            }
        }
        refreshBackends();
    }

    private Meter counter(String meter, ConnectionEvents events, ToDoubleFunction<ConnectionEvents> figure,
            String tag, String value, String description) {
        return FunctionCounter.builder(meter, events, figure).tags(balancer).tags(tag, value)
                .description(description).baseUnit(meter.equals("pen.bytes") ? "bytes" : null).register(registry);
    }

    /** The name in the {@code balancer} tag. */
    public String name() {
        return name;
    }

    /** Brings the per-server meters in line with the server table. */
    public synchronized void refreshBackends() {
        Map<BackendLive, BackendSlot> now = new HashMap<>();
        for (Candidate c : context.selector().table().candidates()) {
            BackendSlot slot = (BackendSlot) c;
            now.put(slot.live(), slot);
        }
        perServer.entrySet().removeIf(e -> {
            if (!now.containsKey(e.getKey())) {
                e.getValue().remove();
                return true;
            }
            return false;
        });
        now.forEach((live, slot) -> perServer.computeIfAbsent(live, l -> new ServerMeters(slot)).slot = slot);
    }

    /**
     * One server's meters, as HAProxy's exporter gives them per server: connections now and in total, bytes
     * each way, connect failures, state, limits and weight, connect time and connection duration.
     */
    private final class ServerMeters implements BackendLive.Timing {
        /** The slot in force for this server; a change of limits or weight replaces it, keeping the figures. */
        volatile BackendSlot slot;
        private final BackendLive live;
        private final List<Meter> meters = new ArrayList<>();
        private final Timer connectTime;
        private final Timer duration;

        ServerMeters(BackendSlot first) {
            this.slot = first;
            this.live = first.live();
            Tags tags = balancer.and("backend", first.backend().address().toString(), "index",
                    Integer.toString(first.index()));
            meters.add(Gauge.builder("pen.backend.connections.active", live, BackendLive::active).tags(tags)
                    .description("connections to this backend now").register(registry));
            meters.add(FunctionCounter.builder("pen.backend.connections", live, BackendLive::total).tags(tags)
                    .description("connections to this backend since it was added").register(registry));
            meters.add(FunctionCounter.builder("pen.backend.bytes", live, BackendLive::bytesToBackend).tags(tags)
                    .tag("direction", "in").baseUnit("bytes").description("bytes from clients to this backend")
                    .register(registry));
            meters.add(FunctionCounter.builder("pen.backend.bytes", live, BackendLive::bytesFromBackend).tags(tags)
                    .tag("direction", "out").baseUnit("bytes").description("bytes from this backend to clients")
                    .register(registry));
            meters.add(FunctionCounter.builder("pen.backend.connect.failures", live, BackendLive::connectFailures)
                    .tags(tags).description("failed or timed-out connects to this backend").register(registry));
            meters.add(Gauge.builder("pen.backend.blacklisted", this, m -> m.slot.state() == BackendState.BLACKLISTED
                    ? 1 : 0).tags(tags).description("1 while this backend is blacklisted").register(registry));
            for (BackendState s : BackendState.values()) {
                meters.add(Gauge.builder("pen.backend.state", this, m -> m.slot.state() == s ? 1 : 0).tags(tags)
                        .tag("state", s.name().toLowerCase(Locale.ROOT))
                        .description("1 for the state this backend is in, 0 for the others").register(registry));
            }
            meters.add(Gauge.builder("pen.backend.max.connections", this, m -> m.slot.backend().maxConnections())
                    .tags(tags).description("connections this backend takes for new clients (0: no limit)")
                    .register(registry));
            meters.add(Gauge.builder("pen.backend.hard.max.connections", this,
                    m -> m.slot.backend().hardMaxConnections()).tags(tags)
                    .description("connections this backend takes for returning clients (0: no limit)")
                    .register(registry));
            meters.add(Gauge.builder("pen.backend.weight", this, m -> m.slot.backend().weight().orElse(0)).tags(tags)
                    .description("this backend's weight (0: none given)").register(registry));
            meters.add(Gauge.builder("pen.backend.priority", this, m -> m.slot.backend().priority()).tags(tags)
                    .description("this backend's priority").register(registry));
            connectTime = Timer.builder("pen.backend.connect.time").tags(tags)
                    .description("time from the start of a connect to this backend to its success")
                    .serviceLevelObjectives(CONNECT_BUCKETS).register(registry);
            duration = Timer.builder("pen.backend.connection.duration").tags(tags)
                    .description("time from a client's accept to the end of its connection to this backend")
                    .serviceLevelObjectives(DURATION_BUCKETS).register(registry);
            meters.add(connectTime);
            meters.add(duration);
            live.timing(this);
        }

        @Override
        public void connected(long connectNanos) {
            connectTime.record(connectNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void closed(long durationNanos) {
            duration.record(durationNanos, TimeUnit.NANOSECONDS);
        }

        void remove() {
            live.timing(null);
            meters.forEach(registry::remove);
        }
    }

    private static Duration[] millis(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1_000_000));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        global.forEach(registry::remove);
        global.clear();
        perServer.values().forEach(ServerMeters::remove);
        perServer.clear();
    }
}
