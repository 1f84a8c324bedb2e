package dev.pen.netty.internal.select;

import dev.pen.api.BalancerConfig;
import dev.pen.api.Backend;
import dev.pen.api.Modes;
import dev.pen.api.Strategy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per selection with a full tracking table (2048 clients) and many backends. Each operation selects
 * for the next of 4096 client addresses, so half find their remembered server and half evict the least
 * recently used entry. Run with {@code bin/selector-bench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SelectorBenchmark {

    @Param({"2", "1000"})
    int backends;

    /** roundrobin (-r), tracking (default: returning clients stick), hash, weight, prio, maglev (Strategy.maglev). */
    @Param({"roundrobin", "tracking", "hash", "weight", "prio", "maglev"})
    String mode;

    /** idle: no connections open; busy: every backend holds 10 to 16 connections, so no scan can stop early. */
    @Param({"idle", "busy"})
    String load;

    private ServerSelector selector;
    private InetAddress[] clients;
    private int next;
    private final Route route = new Route();

    @Setup
    public void setUp() throws UnknownHostException {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < backends; i++) {
            list.add(Backend.parse("10.1." + (i / 250) + "." + (1 + i % 250) + ":80:0:0:" + (1 + i % 3) + ":" + (i % 7), 80));
        }
        Modes modes = switch (mode) {
            case "roundrobin" -> Modes.DEFAULT.withRoundRobin(true);
            case "hash" -> Modes.DEFAULT.withHash(true).withRoundRobin(true);
            case "weight" -> Modes.DEFAULT.withWeight(true).withRoundRobin(true);
            case "prio" -> Modes.DEFAULT.withPrio(true).withRoundRobin(true);
            default -> Modes.DEFAULT;
        };
        BalancerConfig config = BalancerConfig.builder().listen("0").backends(list).modes(modes)
                .strategy(mode.equals("maglev") ? Strategy.maglev() : Strategy.penModes()).build();
        selector = new ServerSelector(ServerTable.prepare(config, null,
                b -> new InetSocketAddress(literal(b.address().host()), b.address().port())));
        if (load.equals("busy")) {
            for (int i = 0; i < backends; i++) {
                selector.slot(i).live().active.set(10 + i % 7);
            }
        }
        clients = new InetAddress[4096];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = InetAddress.getByAddress(new byte[] {(byte) 172, 16, (byte) (i >> 8), (byte) i});
        }
        for (int i = 0; i < 2 * clients.length; i++) {
            select();
        }
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public BackendSlot select() {
        InetAddress client = clients[next++ & (clients.length - 1)];
        return selector.select(route, client, 40000);
    }
}
