package dev.pen.launcher.control;

import dev.pen.api.BalancerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ControlHost} before start-up: a plain configuration (listen port 0 until set), live actions kept in
 * {@link PendingActions}, and a record of what the interpreter asked of it.
 */
final class FakeHost implements ControlHost {
    BalancerConfig config = BalancerConfig.builder().listen("0").build();
    final PendingActions live = new PendingActions(() -> config);
    final List<BalancerConfig> updates = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    final List<String> diagnostics = new ArrayList<>();
    /** When set, every update is refused with this message, as a balancer refuses one it cannot apply. */
    String refusal;
    int exits;
    String statusPage;

    @Override
    public BalancerConfig config() {
        return config;
    }

    @Override
    public void update(BalancerConfig expected, BalancerConfig next) {
        if (!expected.equals(config)) {
            throw new IllegalStateException("updated from a configuration no longer in force");
        }
        if (refusal != null) {
            throw new IllegalStateException(refusal);
        }
        updates.add(next);
        config = next;
    }

    /** How often the TLS files were asked to be read again. */
    int tlsReloads;

    @Override
    public void reloadTls() {
        tlsReloads++;
    }

    @Override
    public LiveView live() {
        return live;
    }

    @Override
    public void log(String target) {
        logs.add(target);
    }

    @Override
    public String writeStatus() {
        return statusPage;
    }

    @Override
    public void exit() {
        exits++;
    }

    @Override
    public long pid() {
        return 4242;
    }

    @Override
    public void debug(int level, String message) {
        diagnostics.add(message);
    }
}
