package dev.pen.launcher;

import dev.pen.api.AccessList;
import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.TlsSettings;
import dev.pen.launcher.cli.CommandLineException;
import dev.pen.launcher.cli.OptionParser;
import dev.pen.launcher.cli.Options;
import dev.pen.launcher.cli.Usage;
import dev.pen.launcher.control.ControlHost;
import dev.pen.launcher.control.ControlServer;
import dev.pen.launcher.control.Interpreter;
import dev.pen.launcher.control.OfflineBalancer;
import dev.pen.launcher.control.Settings;
import dev.pen.launcher.log.AddressText;
import dev.pen.launcher.log.Diagnostics;
import dev.pen.launcher.log.LogTarget;
import dev.pen.launcher.log.PenLog;
import dev.pen.launcher.stats.StatusPage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * pen's program: parses the command line, builds the balancer from options, {@code -o} commands, the {@code -F}
 * file and the positional arguments (in pen's order), binds, opens the control port and the log, writes the pid
 * file, then serves until TERM, INT or the {@code exit} command. Start errors are reported and give a non-zero
 * status before anything is left running.
 */
final class Launcher implements ControlHost {
    private final List<String> args;
    private final PrintStream out;
    private final PrintStream err;
    private final String readyFile;
    private final Settings settings = new Settings();
    private final OfflineBalancer offline = new OfflineBalancer();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ExecutorService signalWork = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pen-signals");
        t.setDaemon(true);
        return t;
    });
    private Options options;
    private Diagnostics diagnostics;
    private Interpreter interpreter;
    private PenLog penLog;
    private ControlServer control;
    private volatile Balancer live;
    /** -E and friends, or null without TLS; the files are read by each balancer started, and again on HUP. */
    private TlsSettings tls;
    private volatile int current;
    private final ConnectionLog events = new Events();

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
        options.notices.forEach(err::println);
        configureLibraryLogging(options.debug);
        diagnostics = new Diagnostics(settings::debug, err);
        try {
            return serve();
        } catch (StartException e) {
            err.println(e.getMessage());
            if (e.usage) {
                out.print(Usage.text());
            }
            shutdown();
            return 1;
        }
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

    /** A start error: its message is the whole line for stderr. */
    private static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean usage;

        StartException(String message, boolean usage) {
            super(message, null, false, false);
            this.usage = usage;
        }

        StartException(String message) {
            this(message, false);
        }
    }

    private int serve() throws StartException {
        Options o = options;
        checkPlatform(o);
        configure(o);
        interpreter = new Interpreter(this, settings, text -> System.out.print(text));
        for (String command : o.commands) {
            out.print(interpreter.execute(command));
        }
        if (o.configFile != null) {
            try {
                interpreter.executeFile(Path.of(o.configFile));
            } catch (IOException e) {
                throw new StartException("pen: can't read config file '" + o.configFile + "': " + reason(e));
            }
        }
        if (settings.listen() == null) {
            if (o.listen() == null) {
                throw new StartException("pen: no listen address (expected [host:]port or a socket path)", true);
            }
            settings.setListen(o.listen());
        }
        Address listen;
        try {
            listen = Address.parseListen(settings.listen(), protocol());
        } catch (IllegalArgumentException e) {
            throw new StartException("pen: listen address " + settings.listen() + ": " + e.getMessage());
        }
        positionalServers(o, listen);
        resolveAll();
        penLog = new PenLog(diagnostics);
        if (settings.log() != null) {
            try {
                penLog.setTarget(settings.log());
            } catch (IllegalArgumentException e) {
                throw new StartException("pen: " + e.getMessage());
            }
        }
        try {
            live = startBalancer(listen, offline);
        } catch (IllegalArgumentException e) {
            // A file of -E -K -G -A that cannot be used, or a mode that does not fit the listener (UDP on a
            // socket path): the message names it.
            throw new StartException("pen: " + e.getMessage());
        } catch (IllegalStateException e) {
            String m = String.valueOf(e.getMessage());
            throw new StartException("pen: " + (m.startsWith("can't bind") ? m
                    : "can't bind local address " + settings.listen() + ": " + m));
        }
        diagnostics.debug(1, "listening on " + live.localAddress() + " with " + live.backendSlots() + " servers");
        openControl(o);
        writePidFile(o);
        installSignals();
        ready();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutdown();
        return 0;
    }

    private void checkPlatform(Options o) throws StartException {
        if (o.chrootDir != null) {
            throw new StartException("pen: -j " + o.chrootDir + ": the JVM cannot run inside a chroot it was not "
                    + "started in; use a container or systemd's RootDirectory= instead");
        }
        if (o.user != null && !o.user.equals(System.getProperty("user.name"))) {
            throw new StartException("pen: -u " + o.user + ": not running as " + o.user
                    + " (start bin/pen as root: it switches to the user with setpriv before the JVM starts)");
        }
        if (o.tls()) {
            tls = tlsSettings(o);
            tls.protocolWarning().ifPresent(w -> err.println("pen: -L " + w));
        }
    }

    /** pen's -E -K -G -A -R -L -Z; -K, -G, -A, -R, -L and -Z mean nothing without -E, as in pen. */
    private static TlsSettings tlsSettings(Options o) throws StartException {
        try {
            TlsSettings t = TlsSettings.of(Path.of(o.tlsCertificate)).withProtocol(o.tlsProtocol)
                    .withRequireClientCertificate(o.tlsRequireClientCert).withCompatibility(o.tlsCompat);
            if (o.tlsKey != null) {
                t = t.withKey(Path.of(o.tlsKey));
            }
            if (o.tlsCaFile != null) {
                t = t.withCaFile(Path.of(o.tlsCaFile));
            }
            if (o.tlsCaDir != null) {
                t = t.withCaDirectory(Path.of(o.tlsCaDir));
            }
            return t;
        } catch (IllegalArgumentException e) {
            throw new StartException("pen: " + e.getMessage());
        }
    }

    /** The protocol whose service names the listen address may use (pen: {@code domain} with -U). */
    private String protocol() {
        return options.udp ? "udp" : "tcp";
    }

    private void configure(Options o) {
        settings.setDebug(o.debug);
        settings.setAscii(o.ascii);
        offline.setUdp(o.udp);
        offline.setHttpMode(o.http);
        settings.setControl(o.control);
        settings.setLog(o.log);
        settings.setWebStats(o.webStats);
        settings.setConfigFile(o.configFile);
        offline.setModes(new Modes(o.hash, o.roundRobin, o.stubborn, o.weight, false));
        offline.setLimits(new Limits(Duration.ofSeconds(o.timeoutSeconds), Duration.ofSeconds(o.blacklistSeconds),
                o.clients, Duration.ofSeconds(o.trackingSeconds), o.connections));
    }

    /** pen's step 9: positional servers overwrite slots 0..n-1 (keeping their acl), then -e and -B. */
    private void positionalServers(Options o, Address listen) throws StartException {
        int defaultPort = listen.isUnix() ? 0 : listen.port();
        List<String> specs = o.servers();
        for (int i = 0; i < specs.size(); i++) {
            Backend b = parseServer(specs.get(i), defaultPort);
            int acl = offline.backend(i).map(x -> x.backend().acl()).orElse(0);
            offline.setBackend(i, b.withAcl(acl));
        }
        if (o.emergencyServer != null) {
            offline.setEmergency(parseServer(o.emergencyServer, defaultPort));
        }
        if (o.abuseServer != null) {
            offline.setAbuse(parseServer(o.abuseServer, defaultPort));
        }
    }

    private static Backend parseServer(String spec, int defaultPort) throws StartException {
        try {
            if (defaultPort == 0 && spec.indexOf('/') < 0 && spec.indexOf(':') < 0) {
                throw new IllegalArgumentException("no port, and a Unix socket listener has none to lend");
            }
            return Backend.parse(spec, defaultPort);
        } catch (IllegalArgumentException e) {
            throw new StartException("pen: server " + spec + ": " + e.getMessage());
        }
    }

    /** pen resolves every server when it starts and refuses to run with one it cannot find. */
    private void resolveAll() throws StartException {
        List<Backend> all = new ArrayList<>();
        offline.backends().forEach(x -> all.add(x.backend()));
        offline.emergency().ifPresent(x -> all.add(x.backend()));
        offline.abuse().ifPresent(x -> all.add(x.backend()));
        for (Backend b : all) {
            if (b.address().isUnix()) {
                continue;
            }
            try {
                InetAddress.getByName(b.address().host());
            } catch (UnknownHostException e) {
                throw new StartException("unknown or invalid address [" + b.address().host() + "]");
            }
        }
    }

    /** Starts a balancer on {@code listen} with everything {@code source} holds (offline, or the one running). */
    private Balancer startBalancer(Address listen, Balancer source) {
        BalancerConfig.Builder config = BalancerConfig.builder().listen(listen).modes(source.modes())
                .limits(source.limits()).strategy(source.strategy()).clientAcl(source.clientAcl())
                .backlog(options.listenQueue).http(source.httpMode()).udp(options.udp)
                .udpIdleTimeout(source.udpIdleTimeout()).tls(tls).connectionLog(events);
        penLog.listeners().forEach(config::connectionLog);
        for (int i = 0; i < AccessList.LISTS; i++) {
            config.accessList(i, source.accessList(i));
        }
        int slots = source.backendSlots();
        int prefix = 0;
        while (prefix < slots && source.backend(prefix).isPresent()) {
            config.backend(source.backend(prefix).get().backend());
            prefix++;
        }
        source.emergency().ifPresent(x -> config.emergency(x.backend()));
        source.abuse().ifPresent(x -> config.abuse(x.backend()));
        BalancerConfig built = config.build();
        Balancer started = penLog.starting(mayLog(), () -> Balancer.start(built));
        try {
            for (int i = prefix; i < slots; i++) {
                Optional<BackendStats> slot = source.backend(i);
                if (slot.isPresent()) {
                    started.setBackend(i, slot.get().backend());
                }
            }
            long now = System.currentTimeMillis();
            for (BackendStats x : source.backends()) {
                long left = x.blacklistedUntilMillis() - now;
                if (left > 0) {
                    started.blacklistBackend(x.index(), Duration.ofMillis(left));
                }
                if (x.state() == BackendState.DRAINING) {
                    started.drainBackend(x.index());
                }
            }
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /**
     * Whether the log can ever take a line: a log is set, lines are echoed at -d -d -d, or a command can set one
     * later (the control port, or the -F file read again on HUP). Otherwise the relay need never copy client data.
     */
    private boolean mayLog() {
        return settings.log() != null || settings.debug() >= 3 || options.control != null
                || settings.configFile() != null;
    }

    private void openControl(Options o) throws StartException {
        if (o.control == null) {
            return;
        }
        if (uid() == 0 && o.user == null) {
            diagnostics.debug(0, "Won't open control port running as root; use -u to run as different user");
            return;
        }
        try {
            control = ControlServer.open(o.control, interpreter, n -> balancer().accessList(n), this);
        } catch (IOException | IllegalArgumentException e) {
            throw new StartException("pen: can't open control port " + o.control + ": " + e.getMessage());
        }
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
            Files.writeString(Path.of(o.pidFile), Long.toString(pid()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new StartException("Can't create pidfile " + o.pidFile);
        }
    }

    private void installSignals() {
        java.util.function.Consumer<String> problems = m -> diagnostics.debug(0, m);
        Signals.handle("HUP", () -> signalWork.execute(this::reload), problems);
        Signals.handle("USR1", () -> signalWork.execute(this::dumpStatistics), problems);
        Signals.handle("TERM", stop::countDown, problems);
        Signals.handle("INT", stop::countDown, problems);
    }

    /** HUP: reopen the log file (rotation), read the TLS files again (renewal), then run the -F file again. */
    private void reload() {
        penLog.reopen();
        diagnostics.debug(1, "HUP: log reopened");
        Balancer b = live;
        if (b != null && tls != null) {
            try {
                b.reloadTls();
                diagnostics.debug(1, "HUP: TLS certificate and key read again");
            } catch (IllegalArgumentException e) {
                diagnostics.debug(0, "HUP: TLS files not reloaded, the old ones stay in use: " + e.getMessage());
            }
        }
        String file = settings.configFile();
        if (file != null) {
            try {
                interpreter.executeFile(Path.of(file));
            } catch (IOException e) {
                diagnostics.debug(0, "can't read config file '" + file + "': " + reason(e));
            }
        }
    }

    /** USR1: the -w page, or pen's text dump to the diagnostics without -w. */
    private void dumpStatistics() {
        penLog.flush();
        if (writeStatus() == null) {
            StatusPage.text(balancer(), current).forEach(line -> diagnostics.debug(0, line));
        }
    }

    private void ready() {
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
            String where = diagnostics.toBackground();
            diagnostics.debug(1, "diagnostics go to " + where);
            out.flush();
            err.flush();
            PrintStream none = new PrintStream(OutputStream.nullOutputStream());
            System.setOut(none);
            System.setErr(none);
        }
    }

    private void shutdown() {
        if (control != null) {
            control.close();
        }
        if (live != null) {
            live.close();
        }
        if (penLog != null) {
            penLog.close();
        }
        if (options != null && options.pidFile != null && live != null) {
            try {
                Files.deleteIfExists(Path.of(options.pidFile));
            } catch (IOException e) {
                diagnostics.debug(0, "can't remove pid file " + options.pidFile + ": " + e.getMessage());
            }
        }
        signalWork.shutdown();
        if (diagnostics != null) {
            diagnostics.close();
        }
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "No such file or directory" : String.valueOf(e.getMessage());
    }

    // ControlHost

    @Override
    public Balancer balancer() {
        Balancer b = live;
        return b != null ? b : offline;
    }

    @Override
    public void listen(String address) {
        Address next = Address.parseListen(address, protocol());
        Balancer old = live;
        if (old == null) {
            return;
        }
        if (next.equals(Address.parseListen(settings.listen(), protocol()))) {
            // The same address again (a HUP re-reading -F, say): keep the listener and its connections.
            return;
        }
        Balancer started;
        try {
            started = startBalancer(next, old);
        } catch (IllegalStateException e) {
            String m = String.valueOf(e.getMessage());
            throw new IllegalStateException(m.startsWith("can't bind") ? m : "can't bind local address " + address + ": " + m);
        }
        // IllegalArgumentException (a TLS file gone bad since start, UDP on a socket path) names the problem.
        live = started;
        old.close();
        diagnostics.debug(1, "listening on " + started.localAddress());
    }

    @Override
    public void log(String target) {
        if (target != null && LogTarget.isNetwork(target)) {
            LogTarget.collector(target);
        }
        if (penLog != null) {
            penLog.setTarget(target);
        }
    }

    @Override
    public String writeStatus() {
        String file = settings.webStats();
        if (file == null) {
            return null;
        }
        String page = StatusPage.html(balancer(), current);
        try {
            Files.writeString(Path.of(file), page, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            diagnostics.debug(0, "can't write web stats to " + file + ": " + reason(e));
            return null;
        }
        return page;
    }

    @Override
    public String commandLineFlags() {
        Options o = options;
        Limits l = balancer().limits();
        List<String> f = new ArrayList<>();
        if (o.udp) {
            f.add("-U");
        }
        if (o.foreground) {
            f.add("-f");
        }
        if (o.exitEnabled) {
            f.add("-X");
        }
        if (l.clientTableSize() != Limits.DEFAULT.clientTableSize()) {
            f.add("-c " + l.clientTableSize());
        }
        balancer().emergency().ifPresent(x -> f.add("-e " + x.backend()));
        balancer().abuse().ifPresent(x -> f.add("-B " + x.backend()));
        if (o.chrootDir != null) {
            f.add("-j '" + o.chrootDir + "'");
        }
        if (o.pidFile != null) {
            f.add("-p '" + o.pidFile + "'");
        }
        if (o.user != null) {
            f.add("-u '" + o.user + "'");
        }
        if (l.maxConnections() != Limits.DEFAULT.maxConnections()) {
            f.add("-x " + l.maxConnections());
        }
        return String.join(" ", f);
    }

    @Override
    public boolean exitEnabled() {
        return options.exitEnabled;
    }

    @Override
    public void exit() {
        stop.countDown();
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public void debug(int level, String message) {
        diagnostics.debug(level, message);
    }

    /** pen's diagnostics for connection events; strings are built only when the level shows them. */
    private final class Events implements ConnectionLog {
        @Override
        public void accepted(ConnectionInfo c) {
            if (diagnostics.level() >= 2) {
                diagnostics.debug(2, "accepted connection " + c.id() + " from " + text(c.clientAddress()));
            }
        }

        @Override
        public void backendChosen(ConnectionInfo c, int index) {
            current = index;
            if (diagnostics.level() >= 2) {
                diagnostics.debug(2, "connection " + c.id() + ": trying server " + index);
            }
        }

        @Override
        public void connectFailed(ConnectionInfo c, int index, Throwable cause) {
            boolean timeout = cause != null && cause.getClass().getSimpleName().contains("Timeout");
            if (!timeout) {
                diagnostics.debug(0, "Connect failed: " + (cause == null ? "unknown" : cause.getMessage()));
            }
            diagnostics.debug(0, "blacklisting server " + index + " because of connect "
                    + (timeout ? "timeout" : "failure"));
        }

        @Override
        public void refused(ConnectionInfo c, String reason) {
            if (diagnostics.level() >= 1) {
                diagnostics.debug(1, "closing client " + text(c.clientAddress()) + ": " + reason);
            }
        }

        @Override
        public void closed(ConnectionInfo c) {
            if (diagnostics.level() >= 2) {
                diagnostics.debug(2, "connection " + c.id() + " closed: " + c.bytesFromClient() + " bytes up, "
                        + c.bytesToClient() + " bytes down");
            }
        }

        private String text(SocketAddress a) {
            return AddressText.of(a);
        }
    }
}
