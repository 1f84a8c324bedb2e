package dev.pen.examples;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Listening to what happens to each connection: a {@link ConnectionLog} hears of every connection's life on the
 * relay's own threads, so it only queues a line and returns (writing a file or a database belongs to another
 * thread). Usage: {@code ConnectionEventsExample listen server...}; every connection's end is printed.
 */
public final class ConnectionEventsExample implements ConnectionLog {
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    @Override
    public void connected(ConnectionInfo c) {
        lines.add(c.id() + " " + c.clientAddress() + " -> server " + c.backendIndex());
    }

    @Override
    public void refused(ConnectionInfo c, String reason) {
        lines.add(c.id() + " " + c.clientAddress() + " refused: " + reason);
    }

    @Override
    public void closed(ConnectionInfo c) {
        lines.add(c.id() + " closed: " + c.bytesFromClient() + " bytes up, " + c.bytesToClient() + " down, "
                + c.durationNanos() / 1_000_000 + " ms");
    }

    /** The next line heard, or {@code null} when none is waiting. */
    public String poll() {
        return lines.poll();
    }

    public static void main(String[] args) throws InterruptedException {
        ConnectionEventsExample events = new ConnectionEventsExample();
        BalancerConfig.Builder config = BalancerConfig.builder().listen(args.length > 0 ? args[0] : "8080")
                .connectionLog(events);
        for (int i = 1; i < args.length; i++) {
            config.backend(args[i]);
        }
        try (Balancer balancer = Balancer.start(config.build())) {
            while (!Thread.currentThread().isInterrupted()) {
                for (String line; (line = events.poll()) != null; ) {
                    System.out.println(line);
                }
                Thread.sleep(200);
            }
        }
    }
}
