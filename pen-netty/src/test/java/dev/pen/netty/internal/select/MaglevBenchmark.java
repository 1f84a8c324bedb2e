package dev.pen.netty.internal.select;

import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Candidate;
import dev.pen.api.Modes;
import dev.pen.api.Pick;
import dev.pen.api.PickContext;
import dev.pen.api.Picker;
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
 * The Maglev table of {@link Strategy#maglev()} (65,537 entries): microseconds to build it for a set of servers
 * (what a configuration change costs, on the thread applying it), and nanoseconds for one pick from it. Run with
 * {@code BENCHMARK=MaglevBenchmark bin/selector-bench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MaglevBenchmark {

    @Param({"10", "100", "1000"})
    int servers;

    private List<Candidate> candidates;
    private Picker picker;
    private PickContext[] picks;
    private int next;

    @Setup
    public void setUp() throws UnknownHostException {
        List<Backend> list = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            list.add(Backend.parse("10.1." + (i / 250) + "." + (1 + i % 250) + ":80:0:0:" + (1 + i % 3), 80));
        }
        BalancerConfig config = BalancerConfig.builder().listen("0").backends(list).build();
        candidates = ServerTable.prepare(config, null,
                b -> new InetSocketAddress(InetAddress.getLoopbackAddress(), b.address().port())).candidates();
        picker = Strategy.maglev().newPicker();
        picker.prepare(candidates);
        picks = new PickContext[4096];
        for (int i = 0; i < picks.length; i++) {
            InetAddress client = InetAddress.getByAddress(new byte[] {(byte) 172, 16, (byte) (i >> 8), (byte) i});
            picks[i] = new PickContext(client, 40000, candidates, candidates.size(), List.of(), Modes.DEFAULT, 0);
        }
    }

    /** A whole table: a new picker has none to take entries from. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Picker build() {
        Picker p = Strategy.maglev().newPicker();
        p.prepare(candidates);
        return p;
    }

    /** One client's pick: its hash, one entry, one availability check. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Pick lookup() {
        return picker.pick(picks[next++ & (picks.length - 1)]);
    }
}
