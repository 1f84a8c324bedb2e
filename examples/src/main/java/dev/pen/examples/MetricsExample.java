package dev.pen.examples;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.netty.NettyBalancer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.TreeMap;

/**
 * The balancer's figures in a Micrometer registry: connections by outcome, bytes each way, and per backend its
 * open connections, connect failures and blacklisting. Any registry works (Prometheus, JMX, ...); this one keeps
 * them in memory. Usage: {@code MetricsExample listen server...}; prints the figures every 5 seconds.
 */
public final class MetricsExample {
    private MetricsExample() {
    }

    /** Starts a balancer for {@code config} whose meters go to {@code registry}. */
    public static Balancer start(BalancerConfig config, MeterRegistry registry) {
        return NettyBalancer.start(config, registry);
    }

    /** Every meter's name and tags with its first figure, sorted, as a report would show them. */
    public static Map<String, Double> figures(MeterRegistry registry) {
        Map<String, Double> out = new TreeMap<>();
        for (Meter m : registry.getMeters()) {
            StringBuilder name = new StringBuilder(m.getId().getName());
            m.getId().getTags().forEach(t -> name.append(' ').append(t.getKey()).append('=').append(t.getValue()));
            m.measure().forEach(measurement -> out.putIfAbsent(name.toString(), measurement.getValue()));
        }
        return out;
    }

    public static void main(String[] args) throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BalancerConfig.Builder config = BalancerConfig.builder().listen(args.length > 0 ? args[0] : "8080");
        for (int i = 1; i < args.length; i++) {
            config.backend(args[i]);
        }
        try (Balancer balancer = start(config.build(), registry)) {
            while (!Thread.currentThread().isInterrupted()) {
                figures(registry).forEach((name, value) -> System.out.println(name + " " + value));
                Thread.sleep(5_000);
            }
        }
    }
}
