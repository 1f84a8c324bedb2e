package dev.pen.netty.internal.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.BalancerConfig;
import dev.pen.api.Candidate;
import dev.pen.api.Pick;
import dev.pen.api.PickContext;
import dev.pen.api.Picker;
import dev.pen.api.Strategy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The selector has its picker prepare for a candidate list before any pick is given that list. */
class PickerPrepareTest {

    /** Records the lists it was prepared for and the lists it picked from. */
    private static final class Recording implements Picker {
        final List<List<Candidate>> prepared = new ArrayList<>();
        final List<List<Candidate>> picked = new ArrayList<>();

        @Override
        public void prepare(List<Candidate> candidates) {
            prepared.add(candidates);
        }

        @Override
        public Pick pick(PickContext context) {
            picked.add(context.candidates());
            return Pick.of(0);
        }
    }

    private static ServerTable table(BalancerConfig config, ServerTable previous) {
        return ServerTable.prepare(config, previous,
                b -> new InetSocketAddress(InetAddress.getLoopbackAddress(), b.address().port()));
    }

    @Test
    void aPickerIsPreparedAtStartAndForEveryConfigurationApplied() throws Exception {
        Recording picker = new Recording();
        Strategy strategy = () -> picker;
        BalancerConfig config = BalancerConfig.builder().listen("0").backend("127.0.0.1:9001").strategy(strategy)
                .modes(dev.pen.api.Modes.DEFAULT.withClientTracking(false)).build();
        ServerSelector selector = new ServerSelector(table(config, null));
        assertThat(picker.prepared).containsExactly(selector.table().candidates());
        InetAddress client = InetAddress.getByName("127.0.0.2");
        selector.select(new Route(), client, 1);
        BalancerConfig more = config.toBuilder().backend("127.0.0.1:9002").build();
        selector.apply(table(more, selector.table()));
        assertThat(picker.prepared).hasSize(2).last().isSameAs(selector.table().candidates());
        selector.select(new Route(), client, 1);
        assertThat(picker.picked).hasSize(2);
        for (List<Candidate> list : picker.picked) {
            assertThat(picker.prepared).as("picked from a prepared list").anyMatch(p -> p == list);
        }
    }
}
