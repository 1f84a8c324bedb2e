package dev.pen.launcher.control;

import dev.pen.api.Balancer;
import java.util.ArrayList;
import java.util.List;

/** A {@link ControlHost} around an {@link OfflineBalancer} that records what the interpreter asked of it. */
final class FakeHost implements ControlHost {
    final OfflineBalancer balancer = new OfflineBalancer();
    final List<String> listens = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    final List<String> diagnostics = new ArrayList<>();
    boolean exitEnabled;
    int exits;
    String statusPage;

    @Override
    public Balancer balancer() {
        return balancer;
    }

    @Override
    public void listen(String address) {
        dev.pen.api.Address.parseListen(address, "tcp");
        listens.add(address);
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
    public String commandLineFlags() {
        return "-f -X";
    }

    @Override
    public boolean exitEnabled() {
        return exitEnabled;
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
