package dev.pen.launcher;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ConnectionLog;
import dev.pen.api.cli.Version;
import dev.pen.launcher.admin.AdminServer;
import dev.pen.launcher.cli.CommandLineException;
import dev.pen.launcher.cli.OptionParser;
import dev.pen.launcher.cli.Options;
import dev.pen.launcher.cli.Usage;
import dev.pen.launcher.control.ControlServer;
import dev.pen.launcher.control.Settings;
import dev.pen.launcher.discovery.Discovery;
import dev.pen.launcher.log.Diagnostics;
import dev.pen.launcher.log.PenLog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.pen.launcher.log.TrafficDump;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * pen's program as a process: parses the command line, sets up library logging and diagnostics, has the
 * {@link StartSequence} build the configuration and the {@link BalancerHost} start it, opens the control port,
 * writes the pid file, tells {@code bin/pen} it is ready, then serves until TERM, INT or the {@code exit} command,
 * answering HUP and USR1. Start errors are reported and give a non-zero status before anything is left running.
 */
final class Launcher {
    private final List<String> args;
    private final PrintStream out;
    private final PrintStream err;
    private final String readyFile;
    private final StopRequests stop = new StopRequests();
    private final ExecutorService signalWork = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pen-signals");
        t.setDaemon(true);
        return t;
    });
    private Options options;
    private Settings settings;
    private Diagnostics diagnostics;
    private PenLog penLog;
    private BalancerHost host;
    private ControlServer control;
    private AdminServer admin;
    private Discovery discovery;

    /**
     * @param readyFile where to write {@code ready} once serving (the script waits for it before leaving), or null
     */
    Launcher(List<String> args, PrintStream out, PrintStream err, String readyFile) {
        this.args = args;
        this.out = out;
        this.err = err;
        this.readyFile = readyFile;
    }

    /** Runs pen and returns the exit status. */
    int run() {
        if (args.isEmpty()) {
            out.print(Usage.text());
            return 0;
        }
        try {
            options = OptionParser.parse(args);
        } catch (CommandLineException e) {
            err.println(e.getMessage());
            if (e.showUsage()) {
                out.print(Usage.text());
            }
            return e.status();
        }
        if (options.help) {
            out.print(Usage.text());
            return 0;
        }
        if (options.version) {
            out.println(Version.line("pen"));
            return 0;
        }
        options.notices.forEach(err::println);
        configureLibraryLogging(options.debug);
        try {
            return serve();
        } catch (StartException e) {
            err.println(e.getMessage());
            if (e.usage()) {
                out.print(Usage.text());
            }
            shutdown();
            return fatal();
        }
    }

    /**
     * The status of a fatal error: 1, or with pen's {@code abort_on_error} no status at all: the process ends on
     * SIGABRT, as pen's abort() does (a core dump where the system keeps them, status 134 to a shell).
     */
    private int fatal() {
        if (settings != null && settings.abortOnError()) {
            out.flush();
            err.flush();
            Signals.abort();
        }
        return 1;
    }

    /**
     * The balancer's own messages (slf4j, shown by slf4j-simple on stderr) follow -d: warnings only by default,
     * its information from -d, its debug lines from -d -d; Netty's internals stay at warnings. Must run before the
     * first logger is made.
     */
    private static void configureLibraryLogging(int debug) {
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", debug >= 2 ? "debug" : debug == 1 ? "info" : "warn");
        setDefault("org.slf4j.simpleLogger.log.io.netty", "warn");
        // The TLS terminator warns about -L ssl2/ssl3 itself; pen prints that once, in its own words, at start
        // (and not again on every HUP), so its lines show only from -d -d on.
        setDefault("org.slf4j.simpleLogger.log.dev.pen.netty.internal.tls.TlsTerminator", debug >= 2 ? "debug" : "error");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private int serve() throws StartException {
        Options o = options;
        settings = StartSequence.settings(o);
        diagnostics = new Diagnostics(settings::debug, err);
        checkPlatform(o);
        BalancerConfig initial;
        try {
            initial = StartSequence.initial(o, err);
            if (o.admin != null) {
                initial = initial.toBuilder().meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                        .build();
            }
        } catch (IllegalArgumentException e) {
            throw new StartException("pen: " + e.getMessage());
        }
        penLog = new PenLog(diagnostics);
        Events events = new Events(diagnostics);
        host = new BalancerHost(initial, settings, diagnostics, penLog, events, stop::request, System.out::print);
        List<ConnectionLog> logs = new ArrayList<>(List.of(events, new TrafficDump(diagnostics, settings::ascii)));
        logs.addAll(penLog.listeners());
        BalancerConfig config = StartSequence.configure(o, host, settings, out, logs, List.of(events));
        discovery = StartSequence.discover(o, config, diagnostics);
        if (discovery != null) {
            config = discovery.config();
        }
        if (settings.log() != null) {
            try {
                penLog.setTarget(settings.log());
            } catch (IllegalArgumentException e) {
                throw new StartException("pen: " + e.getMessage());
            }
        }
        boolean mayLog = settings.log() != null || settings.debug() >= 3 || o.control != null
                || settings.configFile() != null;
        Balancer live;
        try {
            live = host.start(config, mayLog);
        } catch (IllegalArgumentException e) {
            // A file of -E -K -G -A that cannot be used, or a mode that does not fit the listener: the message
            // names it.
            throw new StartException("pen: " + e.getMessage());
        } catch (IllegalStateException e) {
            String m = String.valueOf(e.getMessage());
            throw new StartException("pen: " + (m.startsWith("can't bind") ? m
                    : "can't bind local address " + settings.listen() + ": " + m));
        }
        diagnostics.debug(1, "listening on " + live.localAddress() + " with " + config.backendSlots() + " servers");
        if (discovery != null) {
            discovery.follow(live);
        }
        if (config.reusePort()) {
            Handover.migrateWarning(Handover.MIGRATE_REQ).ifPresent(err::println);
        }
        openControl(o, settings);
        openAdmin(o, settings);
        writePidFile(o);
        installSignals();
        ready();
        try {
            stop.awaitFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown();
        return 0;
    }

    private static void checkPlatform(Options o) throws StartException {
        if (o.chrootDir != null) {
            throw new StartException("pen: -j " + o.chrootDir + ": the JVM cannot run inside a chroot it was not "
                    + "started in; use a container or systemd's RootDirectory= instead");
        }
        if (o.user != null && !o.user.equals(System.getProperty("user.name"))) {
            throw new StartException("pen: -u " + o.user + ": not running as " + o.user
                    + " (start bin/pen as root: it switches to the user with setpriv before the JVM starts)");
        }
    }

    private void openControl(Options o, Settings settings) throws StartException {
        if (o.control == null) {
            return;
        }
        if (uid() == 0 && o.user == null) {
            diagnostics.debug(0, "Won't open control port running as root; use -u to run as different user");
            return;
        }
        try {
            control = Handover.bindRetrying("control port " + o.control, bindWait(o), diagnostics,
                    () -> ControlServer.open(o.control, host.interpreter(), n -> host.config().accessLists().get(n),
                            host));
        } catch (IOException | IllegalArgumentException e) {
            throw new StartException("pen: can't open control port " + o.control + ": " + e.getMessage());
        }
        warnIfOpenToAll(o.control, settings);
    }

    /**
     * pen's defaults stay (a bare port listens on every address), but whoever reaches the control port can make
     * the balancer write files and send clients anywhere: say so once when nothing but the network restricts it.
     */
    private void warnIfOpenToAll(String spec, Settings settings) {
        try {
            if (control.localAddress() instanceof InetSocketAddress bound && !bound.getAddress().isLoopbackAddress()
                    && host.config().accessLists().get(settings.controlAcl()).entries().isEmpty()) {
                err.println("pen: warning: control port " + spec + " accepts commands from any address (control_acl "
                        + settings.controlAcl() + " is empty); restrict it with control_acl, or -C 127.0.0.1:PORT");
            }
        } catch (IOException e) {
            diagnostics.debug(1, "control port: " + e.getMessage());
        }
    }

    /** The admin listener of --admin, behind the control ACL as the control port is. */
    private void openAdmin(Options o, Settings settings) throws StartException {
        if (o.admin == null) {
            return;
        }
        try {
            admin = Handover.bindRetrying("admin port " + o.admin, bindWait(o), diagnostics,
                    () -> AdminServer.open(o.admin, (PrometheusMeterRegistry) host.config().meterRegistry(), host,
                            a -> host.config().accessLists().get(settings.controlAcl()).permits(a)));
        } catch (IllegalStateException e) {
            throw new StartException("pen: can't open admin port " + o.admin + ": " + e.getMessage());
        }
        diagnostics.debug(1, "admin port on " + admin.localAddress());
    }

    /**
     * With --grace, a port still held by the process this one replaces is waited for: that one closes it first
     * when stopped, then takes up to its grace.
     */
    private static java.time.Duration bindWait(Options o) {
        return o.grace == null ? java.time.Duration.ZERO : o.grace.plus(Handover.BIND_MARGIN);
    }

    private static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }

    private void writePidFile(Options o) throws StartException {
        if (o.pidFile == null) {
            return;
        }
        try {
            Files.writeString(Path.of(o.pidFile), Long.toString(ProcessHandle.current().pid()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StartException("Can't create pidfile " + o.pidFile);
        }
    }

    private void installSignals() {
        Consumer<String> problems = m -> diagnostics.debug(0, m);
        Signals.handle("HUP", () -> signalWork.execute(host::reload), problems);
        Signals.handle("USR1", () -> signalWork.execute(host::dumpStatistics), problems);
        Signals.handle("TERM", stop::request, problems);
        Signals.handle("INT", stop::request, problems);
    }

    private void ready() {
        if (!options.foreground) {
            // Before the ready file: bin/pen shows what was printed until then, a warning about the debug file too.
            try {
                String where = diagnostics.toBackground();
                diagnostics.debug(1, "diagnostics go to " + where);
            } catch (IllegalArgumentException e) {
                err.println("pen: warning: " + e.getMessage() + "; diagnostics are not kept in the background");
            }
        }
        if (readyFile != null) {
            try {
                Path target = Path.of(readyFile);
                Path temp = target.resolveSibling(target.getFileName() + ".tmp");
                Files.writeString(temp, "ready\n");
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                diagnostics.debug(0, "can't write ready file " + readyFile + ": " + e.getMessage());
            }
        }
        if (!options.foreground) {
            out.flush();
            err.flush();
            // pen's standard output goes nowhere in the background, as pen's does; what the JVM's libraries print
            // on stderr (Netty's warnings, uncaught exceptions) goes where the diagnostics go.
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            System.setErr(diagnostics.asStream());
        }
    }

    private void shutdown() {
        Balancer live = host == null ? null : host.running();
        CompletableFuture<Void> finished = live != null && options.grace != null
                ? live.closeGracefully(options.grace) : null;
        if (control != null) {
            control.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (discovery != null) {
            discovery.close();
        }
        if (finished != null) {
            finishWithinGrace(live, finished);
        }
        if (live != null) {
            live.close();
        }
        if (penLog != null) {
            penLog.close();
        }
        if (options != null && options.pidFile != null && live != null) {
            try {
                Handover.removePidFile(Path.of(options.pidFile), ProcessHandle.current().pid());
            } catch (IOException e) {
                diagnostics.debug(0, "can't remove pid file " + options.pidFile + ": " + e.getMessage());
            }
        }
        signalWork.shutdown();
        if (diagnostics != null) {
            diagnostics.close();
        }
    }

    /** --grace: the listener and control port are closed; open connections finish, or a second TERM ends it. */
    private void finishWithinGrace(Balancer live, CompletableFuture<Void> finished) {
        long pid = ProcessHandle.current().pid();
        diagnostics.debug(1, "pid " + pid + " stopping: new clients refused, " + live.activeConnections()
                + " open connections have up to " + options.grace.toMillis() + " ms to finish");
        CompletableFuture.anyOf(finished, stop.again()).join();
        diagnostics.debug(1, "pid " + pid + (finished.isDone() ? " stopped" : " stopping at once")
                + ", closing " + live.activeConnections() + " open connections");
    }
}
