package dev.pen.launcher;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendStateListener;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ConnectionLog;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.ProxyProtocol;
import dev.pen.api.ProxySettings;
import dev.pen.api.TlsSettings;
import dev.pen.launcher.cli.Options;
import dev.pen.launcher.control.Interpreter;
import dev.pen.launcher.control.Settings;
import dev.pen.launcher.discovery.Discovery;
import dev.pen.launcher.log.Diagnostics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * pen's order of set-up, which ends in the one configuration the balancer starts with: the option letters, the
 * {@code -o}/{@code -O} commands, the {@code -F} file, the listen address, the positional servers (overwriting
 * slots from {@code -F}, keeping their acl), {@code -e} and {@code -B}, then every server host resolved (by
 * {@link Discovery}'s resolver when a discovery option is given).
 */
final class StartSequence {
    /** Until the listen address is known (a {@code listen} command, or the first positional argument). */
    private static final Address NOT_YET = Address.of(null, 0);

    private StartSequence() {
    }

    /** The launcher's own settings from the option letters. */
    static Settings settings(Options o) {
        Settings s = new Settings();
        s.setDebug(o.debug);
        s.setAscii(o.ascii);
        s.setControl(o.control);
        s.setLog(o.log);
        s.setWebStats(o.webStats);
        s.setConfigFile(o.configFile);
        s.setCommandLine(new Settings.CommandLine(o.foreground, o.exitEnabled, o.chrootDir, o.pidFile, o.user));
        return s;
    }

    /**
     * The configuration the option letters give, before any command; its listen address is a placeholder.
     *
     * @param err where a warning about the TLS protocol of -L goes
     * @throws IllegalArgumentException naming a bad setting
     */
    static BalancerConfig initial(Options o, PrintStream err) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen(NOT_YET)
                .modes(new Modes(o.hash, o.roundRobin, o.stubborn, o.weight, false))
                .limits(new Limits(Duration.ofSeconds(o.timeoutSeconds), Duration.ofSeconds(o.blacklistSeconds),
                        o.clients, Duration.ofSeconds(o.trackingSeconds), o.connections))
                .backlog(o.listenQueue).reusePort(o.reusePort).http(o.http).udp(o.udp).tls(tls(o, err))
                .healthCheck(o.healthCheck).strategy(o.strategy())
                // Unlike pen, TCP_NODELAY is on unless `no tcp_nodelay` is given: with Nagle's algorithm a relay's
                // small writes wait for delayed acknowledgements (docs/PERFORMANCE.md has the figures).
                .acceptBatch(o.multiAccept);
        if (o.firstByteTimeout != null) {
            b.firstByteTimeout(o.firstByteTimeout);
        }
        if (o.handshakeTimeout != null) {
            b.handshakeTimeout(o.handshakeTimeout);
        }
        if (o.proxyProtocol != null || !o.acceptProxy.isEmpty()) {
            b.proxy(new ProxySettings(o.proxyProtocol == null ? ProxyProtocol.OFF : o.proxyProtocol, o.acceptProxy));
        }
        return b.build();
    }

    /**
     * Runs the {@code -o} commands (replies to {@code out}) and the {@code -F} file through {@code host}, then
     * completes its configuration with the listen address, the positional, emergency and abuse servers,
     * {@code logs} and {@code stateListeners}, and checks that every host resolves.
     */
    static BalancerConfig configure(Options o, BalancerHost host, Settings settings, PrintStream out,
            List<ConnectionLog> logs, List<BackendStateListener> stateListeners) throws StartException {
        Interpreter interpreter = host.interpreter();
        for (String command : o.commands) {
            out.print(interpreter.execute(command));
        }
        if (o.configFile != null) {
            try {
                interpreter.executeFile(Path.of(o.configFile));
            } catch (IOException e) {
                throw new StartException("pen: can't read config file '" + o.configFile + "': "
                        + BalancerHost.reason(e));
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
            listen = Address.parseListen(settings.listen(), o.udp ? "udp" : "tcp");
        } catch (IllegalArgumentException e) {
            throw new StartException("pen: listen address " + settings.listen() + ": " + e.getMessage());
        }
        BalancerConfig commanded = host.config();
        BalancerConfig.Builder config = commanded.toBuilder().listen(listen);
        int defaultPort = listen.isUnix() ? 0 : listen.port();
        List<String> specs = o.servers();
        for (int i = 0; i < specs.size(); i++) {
            Backend positional = parseServer(specs.get(i), defaultPort);
            Backend before = commanded.backend(i).orElse(null);
            // The -F file's server N settings that a spec does not carry (acl, health checks, proxy) stay.
            config.backend(i, before == null ? positional : positional.withSettingsOf(before));
        }
        if (o.emergencyServer != null) {
            config.emergency(parseServer(o.emergencyServer, defaultPort));
        }
        if (o.abuseServer != null) {
            config.abuse(parseServer(o.abuseServer, defaultPort));
        }
        logs.forEach(config::connectionLog);
        stateListeners.forEach(config::stateListener);
        BalancerConfig built;
        try {
            built = config.build();
        } catch (IllegalArgumentException e) {
            throw new StartException("pen: " + e.getMessage());
        }
        if (!o.discovery.any()) {
            resolveAll(built);
        }
        return built;
    }

    /**
     * With a discovery option, the configuration's names resolved by discovery's resolver and the discovered
     * servers in their slots; the returned discovery follows them once the balancer runs. Null without one.
     */
    static Discovery discover(Options o, BalancerConfig config, Diagnostics diagnostics) throws StartException {
        if (!o.discovery.any()) {
            return null;
        }
        try {
            return Discovery.prepare(o.discovery, config, m -> diagnostics.debug(0, m), m -> diagnostics.debug(1, m));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new StartException(m.startsWith("unknown or invalid address") ? m : "pen: " + m);
        }
    }

    /** pen's -E -K -G -A -R -L -Z; -K, -G, -A, -R, -L and -Z mean nothing without -E, as in pen. */
    private static TlsSettings tls(Options o, PrintStream err) {
        if (!o.tls()) {
            return null;
        }
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
        t.protocolWarning().ifPresent(w -> err.println("pen: -L " + w));
        return t;
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
    private static void resolveAll(BalancerConfig config) throws StartException {
        List<Backend> all = new ArrayList<>(config.backends());
        all.add(config.emergency());
        all.add(config.abuse());
        for (Backend b : all) {
            if (b == null || b.address().isUnix()) {
                continue;
            }
            try {
                InetAddress.getByName(b.address().host());
            } catch (UnknownHostException e) {
                throw new StartException("unknown or invalid address [" + b.address().host() + "]");
            }
        }
    }
}
