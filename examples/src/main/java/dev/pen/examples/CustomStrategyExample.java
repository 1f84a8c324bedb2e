package dev.pen.examples;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import java.util.concurrent.CountDownLatch;

/** A balancer that picks backends with {@link LeastConnections}. Usage: {@code CustomStrategyExample listen server...}. */
public final class CustomStrategyExample {
    private CustomStrategyExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: CustomStrategyExample [host:]port server...");
            System.exit(2);
        }
        BalancerConfig.Builder config = BalancerConfig.builder().listen(args[0]).strategy(new LeastConnections());
        for (int i = 1; i < args.length; i++) {
            config.backend(args[i]);
        }
        try (Balancer balancer = Balancer.start(config.build())) {
            System.out.println("least-connections balancing on " + balancer.localAddress());
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
    }
}
