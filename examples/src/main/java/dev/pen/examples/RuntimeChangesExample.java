package dev.pen.examples;

import dev.pen.api.Backend;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;

/**
 * Changing servers while traffic flows, as a service discovery or a deployment script would: the configuration is
 * one value; a changed copy is applied whole with {@link Balancer#update}, and open connections carry on. A
 * server about to go is drained first, so that it takes no new clients while its open ones finish.
 */
public final class RuntimeChangesExample {
    private RuntimeChangesExample() {
    }

    /** Adds {@code spec} in the first empty slot and returns its index. */
    public static int add(Balancer balancer, String spec) {
        return balancer.addBackend(Backend.parse(spec, 80));
    }

    /** Drains server {@code index}: no new clients, open connections carry on. */
    public static void drain(Balancer balancer, int index) {
        balancer.drainBackend(index, true);
    }

    /** Replaces every server at once with {@code specs}, keeping the figures of those whose slot and address stay. */
    public static BalancerConfig replaceAll(Balancer balancer, String... specs) {
        return balancer.update(c -> {
            BalancerConfig.Builder next = c.toBuilder().clearBackends();
            for (String spec : specs) {
                next.backend(spec);
            }
            return next.build();
        });
    }

    /** Usage: {@code RuntimeChangesExample listen server...}: starts, then adds and drains as the comments say. */
    public static void main(String[] args) throws InterruptedException {
        BalancerConfig.Builder config = BalancerConfig.builder().listen(args.length > 0 ? args[0] : "8080");
        for (int i = 1; i < args.length; i++) {
            config.backend(args[i]);
        }
        try (Balancer balancer = Balancer.start(config.build())) {
            int added = add(balancer, "127.0.0.1:8083");
            System.out.println("added server " + added + "; servers now " + balancer.config().backends());
            drain(balancer, 0);
            System.out.println("server 0 draining: " + balancer.backend(0).orElseThrow().state());
        }
    }
}
