package dev.pen.launcher;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.launcher.control.ControlHost;
import dev.pen.launcher.control.Interpreter;
import dev.pen.launcher.control.LiveView;
import dev.pen.launcher.control.PendingActions;
import dev.pen.launcher.control.PlainFiles;
import dev.pen.launcher.control.Settings;
import dev.pen.launcher.log.Diagnostics;
import dev.pen.launcher.log.LogTarget;
import dev.pen.launcher.log.PenLog;
import dev.pen.launcher.stats.StatusPage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where commands act: before start-up on the configuration being built (live actions wait in
 * {@link PendingActions}), afterwards on the running balancer, each command's configuration applied with one
 * {@link Balancer#update}. So {@code listen ADDR} is an update of the listen address, and a HUP that reads the
 * {@code -F} file again with the same address keeps the listener and its connections.
 */
final class BalancerHost implements ControlHost {
    private final Settings settings;
    private final Diagnostics diagnostics;
    private final PenLog penLog;
    private final Events events;
    private final Runnable exit;
    private final Interpreter interpreter;
    private final PendingActions pending = new PendingActions(this::config);
    /** The configuration being built, until the balancer runs. */
    private volatile BalancerConfig building;
    private volatile Balancer running;

    /**
     * @param initial the configuration the command line gives before any command (see {@link StartSequence})
     * @param fileReplies where replies to commands from files go (pen's standard output)
     */
    BalancerHost(BalancerConfig initial, Settings settings, Diagnostics diagnostics, PenLog penLog, Events events,
            Runnable exit, Consumer<String> fileReplies) {
        this.building = initial;
        this.settings = settings;
        this.diagnostics = diagnostics;
        this.penLog = penLog;
        this.events = events;
        this.exit = exit;
        this.interpreter = new Interpreter(this, settings, fileReplies);
    }

    Interpreter interpreter() {
        return interpreter;
    }

    /** Starts the balancer with {@code config}, then applies the blacklists and drains asked for before. */
    Balancer start(BalancerConfig config, boolean mayLog) {
        Balancer started = penLog.starting(mayLog, () -> Balancer.start(config));
        try {
            pending.applyTo(started);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        running = started;
        return started;
    }

    /** The running balancer, or null before start-up. */
    Balancer running() {
        return running;
    }

    /**
     * HUP: reopen the log file (rotation), read the TLS files again (renewal), then run the -F file again. Each
     * step runs whatever became of the ones before it; one that fails is told in one diagnostic naming it and why.
     */
    void reload() {
        step("log not reopened", () -> {
            penLog.reopen();
            diagnostics.debug(1, "HUP: log reopened");
        });
        step("diagnostics file not reopened", diagnostics::reopen);
        Balancer b = running;
        if (b != null && b.config().tls() != null) {
            step("TLS files not reloaded, the old ones stay in use", () -> {
                b.reloadTls();
                diagnostics.debug(1, "HUP: TLS certificate and key read again");
            });
        }
        String file = settings.configFile();
        if (file != null) {
            step("can't read config file '" + file + "'", () -> {
                try {
                    interpreter.executeFile(Path.of(file));
                } catch (IOException e) {
                    throw new IllegalArgumentException(reason(e));
                }
            });
        }
    }

    private void step(String failure, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            diagnostics.debug(0, "HUP: " + failure + ": " + e.getMessage());
        }
    }

    /** USR1: the -w page, or pen's text dump to the diagnostics without -w. */
    void dumpStatistics() {
        penLog.flush();
        if (writeStatus() == null) {
            StatusPage.text(config(), live(), events.current()).forEach(line -> diagnostics.debug(0, line));
        }
    }

    static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "No such file or directory" : String.valueOf(e.getMessage());
    }

    @Override
    public BalancerConfig config() {
        Balancer b = running;
        return b != null ? b.config() : building;
    }

    @Override
    public void update(BalancerConfig expected, BalancerConfig next) {
        Balancer b = running;
        if (b == null) {
            requireUnchanged(building, expected);
            building = next;
            return;
        }
        b.update(c -> {
            requireUnchanged(c, expected);
            return next;
        });
        if (!next.listen().equals(expected.listen())) {
            diagnostics.debug(1, "listening on " + b.localAddress());
        }
    }

    private static void requireUnchanged(BalancerConfig current, BalancerConfig expected) {
        if (!current.equals(expected)) {
            throw new IllegalStateException("the configuration changed while the command ran; nothing applied "
                    + "(expected to apply it to the configuration it read: run it again)");
        }
    }

    @Override
    public void reloadTls() {
        Balancer b = running;
        if (b != null) {
            b.reloadTls();
        }
    }

    @Override
    public LiveView live() {
        Balancer b = running;
        return b != null ? LiveView.of(b) : pending;
    }

    @Override
    public void log(String target) {
        if (target != null && LogTarget.isNetwork(target)) {
            LogTarget.collector(target);
        }
        if (running != null) {
            penLog.setTarget(target);
        }
    }

    @Override
    public String writeStatus() {
        String file = settings.webStats();
        if (file == null) {
            return null;
        }
        String page = StatusPage.html(config(), live(), events.current());
        try {
            PlainFiles.replace(Path.of(file), page);
        } catch (IOException e) {
            diagnostics.debug(0, "can't write web stats to " + file + ": " + reason(e));
            return null;
        }
        return page;
    }

    @Override
    public void exit() {
        exit.run();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public void debug(int level, String message) {
        diagnostics.debug(level, message);
    }
}
