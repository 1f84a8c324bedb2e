package dev.pen.examples;

import dev.pen.api.Candidate;
import dev.pen.api.Pick;
import dev.pen.api.PickContext;
import dev.pen.api.Picker;
import dev.pen.api.Strategy;
import java.util.List;

/**
 * A custom strategy: least connections. A new client goes to the available backend with the fewest open
 * connections; ties go to the one after the last chosen, so that idle backends share new clients in turn.
 * Tracking, limits, blacklist and failover stay with the selector around it.
 */
public final class LeastConnections implements Strategy {

    @Override
    public Picker newPicker() {
        return new Picker() {
            private int last = -1;

            @Override
            public Pick pick(PickContext context) {
                List<Candidate> all = context.candidates();
                int n = all.size();
                Candidate best = null;
                int bestPosition = -1;
                for (int step = 1; step <= n; step++) {
                    int position = (last + step) % n;
                    Candidate c = all.get(position);
                    if (c.available() && (best == null || c.activeConnections() < best.activeConnections())) {
                        best = c;
                        bestPosition = position;
                    }
                }
                if (best == null) {
                    return Pick.none("no available server");
                }
                last = bestPosition;
                return Pick.of(best.index());
            }
        };
    }
}
