package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pen's built-in choices over a fixed set of candidates. */
class BuiltinStrategiesTest {

    private record FixedCandidate(int index, Backend backend, int activeConnections, boolean available)
            implements Candidate {
    }

    private static PickContext context(Modes modes, Candidate... c) throws Exception {
        return new PickContext(InetAddress.getByName("10.0.0.7"), 40000, List.of(c), c.length, List.of(), modes, 0);
    }

    private static Candidate candidate(int index, String spec, int active, boolean available) {
        return new FixedCandidate(index, Backend.parse(spec, 80), active, available);
    }

    @Test
    void roundRobinStartsAtOneAndSkipsUnavailable() throws Exception {
        PickContext ctx = context(Modes.DEFAULT, candidate(0, "a", 0, true), candidate(1, "b", 0, true),
                candidate(2, "c", 0, false));
        Picker p = Strategy.roundRobin().newPicker();
        List<Integer> picks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            picks.add(p.pick(ctx).index());
        }
        assertThat(picks).containsExactly(1, 0, 1, 0);
    }

    @Test
    void weightPrefersTheLeastLoadedPerWeightAndSkipsWeightZero() throws Exception {
        PickContext ctx = context(Modes.DEFAULT.withWeight(true), candidate(0, "a:80:0:0:1", 1, true),
                candidate(1, "b:80:0:0:3", 2, true), candidate(2, "c:80:0:0:0", 0, true));
        assertThat(Strategy.weight().newPicker().pick(ctx).index()).isEqualTo(1);
    }

    @Test
    void priorityTakesTheLowestAvailableValue() throws Exception {
        PickContext ctx = context(Modes.DEFAULT, candidate(0, "a:80:0:0:0:5", 0, true),
                candidate(1, "b:80:0:0:0:2", 0, false), candidate(2, "c:80:0:0:0:3", 0, true));
        assertThat(Strategy.priority().newPicker().pick(ctx).index()).isEqualTo(2);
    }

    @Test
    void hashIsTheSameForTheSameClientAndIgnoresAvailability() throws Exception {
        PickContext ctx = context(Modes.DEFAULT.withHash(true), candidate(0, "a", 0, false), candidate(1, "b", 0, false),
                candidate(2, "c", 0, false));
        Pick first = Strategy.hash().newPicker().pick(ctx);
        assertThat(first.chosen()).isTrue();
        assertThat(Strategy.hash().newPicker().pick(ctx)).isEqualTo(first);
    }

    @Test
    void penModesFollowsPrioThenWeightThenHashThenRoundRobin() throws Exception {
        Candidate a = candidate(0, "a:80:0:0:1:9", 5, true);
        Candidate b = candidate(1, "b:80:0:0:1:1", 9, true);
        Picker p = Strategy.penModes().newPicker();
        assertThat(p.pick(context(Modes.DEFAULT.withPrio(true).withWeight(true), a, b)).index()).isEqualTo(1);
        assertThat(p.pick(context(Modes.DEFAULT.withWeight(true), a, b)).index()).isEqualTo(0);
    }

    @Test
    void noCandidatesMeansNone() throws Exception {
        assertThat(Strategy.roundRobin().newPicker().pick(context(Modes.DEFAULT)).chosen()).isFalse();
    }

    @Test
    void hashIsTakenModuloEverySlotSoAnEmptySlotKeepsItsClients() throws Exception {
        Candidate a = candidate(0, "a", 0, true);
        Candidate c = candidate(2, "c", 0, true);
        InetAddress client = InetAddress.getByName("10.0.0.7");
        Modes hash = Modes.DEFAULT.withHash(true);
        int withAll = Strategy.hash().newPicker().pick(new PickContext(client, 1, List.of(a, candidate(1, "b", 0, true), c),
                3, List.of(), hash, 0)).index();
        int withGap = Strategy.hash().newPicker().pick(new PickContext(client, 1, List.of(a, c), 3, List.of(), hash, 0))
                .index();
        assertThat(withGap).isEqualTo(withAll);
    }

    @Test
    void failoverFollowsPensOrderUpToTheFirstServerTried() throws Exception {
        Picker p = Strategy.roundRobin().newPicker();
        PickContext ctx = new PickContext(null, 0, List.of(candidate(0, "a", 0, true), candidate(1, "b", 0, true),
                candidate(2, "c", 0, true)), 3, List.of(1), Modes.DEFAULT, 0);
        List<Integer> order = new ArrayList<>();
        for (int next = p.next(ctx); next >= 0; next = p.next(ctx)) {
            order.add(next);
            ctx = ctx.withTried(next);
        }
        assertThat(order).containsExactly(2, 0);
    }

    @Test
    void failoverAfterNoPickGoesStraightToTheEmergencyServer() throws Exception {
        PickContext ctx = new PickContext(null, 0, List.of(candidate(0, "a", 0, true), candidate(1, "b", 0, true)), 2,
                List.of(), Modes.DEFAULT, 0);
        assertThat(Strategy.roundRobin().newPicker().next(ctx)).isEqualTo(Strategy.NO_BACKEND);
    }
}
