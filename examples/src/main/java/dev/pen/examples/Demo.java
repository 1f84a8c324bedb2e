package dev.pen.examples;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Modes;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The demo: three small HTTP servers that name themselves, and a balancer in front of them in round-robin mode,
 * so that successive requests show different servers. Usage: {@code Demo [listen-port]} (default 8080).
 */
public final class Demo implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<NamedHttpServer> servers = new ArrayList<>();
    private final Balancer balancer;

    /** Starts three servers on free ports and a balancer on {@code listen} in front of them. */
    public Demo(String listen) {
        BalancerConfig.Builder config = BalancerConfig.builder().listen(listen)
                .modes(Modes.DEFAULT.withClientTracking(false));
        try {
            for (int i = 1; i <= 3; i++) {
                NamedHttpServer server = new NamedHttpServer(group, "backend " + i, 0);
                servers.add(server);
                config.backend("127.0.0.1:" + server.port());
            }
            balancer = Balancer.start(config.build());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public Balancer balancer() {
        return balancer;
    }

    public int port() {
        return ((InetSocketAddress) balancer.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (balancer != null) {
            balancer.close();
        }
        servers.forEach(NamedHttpServer::close);
        // The servers were closed above and have nothing left to finish: no quiet period to wait out.
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    public static void main(String[] args) throws InterruptedException {
        String listen = args.length > 0 ? args[0] : "8080";
        Demo demo;
        try {
            demo = new Demo(listen);
        } catch (RuntimeException e) {
            System.err.println("pen-demo: " + e.getMessage());
            System.exit(1);
            return;
        }
        int port = demo.port();
        System.out.println("pen demo: a balancer on port " + port + " in front of three servers:");
        demo.balancer().backends().forEach(b -> System.out.println("  server " + b.index() + " " + b.backend()));
        System.out.println();
        System.out.println("Try it (each request is a new connection, sent to the next server):");
        System.out.println("  for i in 1 2 3 4; do curl -s http://127.0.0.1:" + port + "/; done");
        System.out.println("Press Ctrl-C to stop.");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stop.countDown();
        }));
        stop.await();
    }
}
