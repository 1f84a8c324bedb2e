package dev.pen.examples;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Modes;
import java.util.concurrent.CountDownLatch;

/**
 * A balancer embedded in a few lines: listen on port 8080 and spread new clients over two servers in round-robin
 * mode. Usage: {@code EmbeddedBalancer [listen] server...}.
 */
public final class EmbeddedBalancer {
    private EmbeddedBalancer() {
    }

    public static void main(String[] args) throws InterruptedException {
        String listen = args.length > 0 ? args[0] : "8080";
        BalancerConfig.Builder config = BalancerConfig.builder()
                .listen(listen)
                .modes(Modes.DEFAULT.withClientTracking(false));
        for (int i = 1; i < args.length; i++) {
            config.backend(args[i]);
        }
        if (args.length < 2) {
            config.backend("127.0.0.1:8081").backend("127.0.0.1:8082");
        }
        try (Balancer balancer = Balancer.start(config.build())) {
            System.out.println("balancing " + balancer.localAddress() + " over " + balancer.backends().size()
                    + " servers; Ctrl-C stops");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
    }
}
