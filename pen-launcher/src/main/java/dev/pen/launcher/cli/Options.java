package dev.pen.launcher.cli;

import dev.pen.api.HealthCheck;
import dev.pen.launcher.admin.AdminAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * pen's command line after parsing: every option letter's value (defaults as pen's), the {@code -o}/{@code -O}
 * commands in order, the notices to print (obsolete or unsupported options) and the positional arguments (the
 * listen address first, then the server specs). Values are checked by {@link OptionParser}; this class only holds
 * them. Mutable while parsing, read-only by convention afterwards.
 */
public final class Options {
    /** -B: the abuse server spec, or null. */
    public String abuseServer;
    /** -C: the control address as given, or null. */
    public String control;
    /** -F: the config file, or null. */
    public String configFile;
    /** -T: client tracking time in seconds (0 = never expire). */
    public int trackingSeconds;
    /** -H: HTTP mode. */
    public boolean http;
    /** -U: UDP mode. */
    public boolean udp;
    /** -P: poll() instead of epoll (accepted, no effect). */
    public boolean poll;
    /** -W: weighted selection. */
    public boolean weight;
    /** -X: the control command {@code exit} is allowed. */
    public boolean exitEnabled;
    /** -a: traffic dumps in ASCII (at -d -d -d). */
    public boolean ascii;
    /** -b: blacklist time in seconds. */
    public int blacklistSeconds = 30;
    /** -c: client table size (only grows). */
    public int clients = 2048;
    /** -d, repeated: debug level. */
    public int debug;
    /** -e: the emergency server spec, or null. */
    public String emergencyServer;
    /** -f: stay in the foreground. */
    public boolean foreground;
    /** -h: hash the client address for the first choice. */
    public boolean hash;
    /** -j: the chroot directory, or null. */
    public String chrootDir;
    /** -l: the log file or the host:port of a network log collector, or null. */
    public String log;
    /** -m: connections accepted per readiness event. */
    public int multiAccept = 100;
    /** -p: the pid file, or null. */
    public String pidFile;
    /** -q: the listen backlog. */
    public int listenQueue = 500;
    /** -r: round robin, ignoring the client table. */
    public boolean roundRobin;
    /** -s: stubborn, never fail over. */
    public boolean stubborn;
    /** -t: connect timeout in seconds. */
    public int timeoutSeconds = 3;
    /** -u: the user to run as, or null. */
    public String user;
    /** -w: the HTML statistics file, or null. */
    public String webStats;
    /** -x: maximum simultaneous connections (only grows). */
    public int connections = 500;
    /** -E: TLS certificate file, or null. */
    public String tlsCertificate;
    /** -K: TLS key file, or null (then the certificate file). */
    public String tlsKey;
    /** -G: CA certificate file for client certificates, or null. */
    public String tlsCaFile;
    /** -A: CA certificate directory, or null. */
    public String tlsCaDir;
    /** -Z: TLS compatibility mode. */
    public boolean tlsCompat;
    /** -R: require a valid client certificate. */
    public boolean tlsRequireClientCert;
    /** -L: TLS protocol name (ssl23, ssl2, ssl3, tls1). */
    public String tlsProtocol = "ssl23";
    /** --first-byte-timeout: close a client that sent nothing this long; null for the default. */
    public Duration firstByteTimeout;
    /** --handshake-timeout: close a TLS client not through its handshake this long; null for the default. */
    public Duration handshakeTimeout;
    /** --check, --inter, --fastinter, --rise, --fall, --slowstart, --check-timeout: the servers' health checks. */
    public HealthCheck healthCheck = HealthCheck.NONE;
    /** --grace: on TERM, how long open connections may take to finish; null when off (close at once). */
    public Duration grace;
    /** --reuseport: the listener sets SO_REUSEPORT, so that a new balancer may bind the same port beside it. */
    public boolean reusePort;
    /** --admin: where the admin listener (metrics, status) binds; null when off. */
    public AdminAddress admin;
    /** --proxy-protocol: the PROXY header every backend connection starts with; null for none. */
    public dev.pen.api.ProxyProtocol proxyProtocol;
    /** --accept-proxy: the networks trusted to send a PROXY header naming the client; empty for none. */
    public List<dev.pen.api.Network> acceptProxy = List.of();
    /** --strategy: {@code pen} (the default) or {@code maglev}. */
    public String strategy = "pen";
    /** --maglev-table-size: the Maglev table's size; 0 when not given (the default size). */
    public int maglevTableSize;
    /** --dns-refresh, --srv, --dns-server, --servers-file: server discovery; {@code NONE} when off. */
    public dev.pen.launcher.discovery.DiscoverySettings discovery = dev.pen.launcher.discovery.DiscoverySettings.NONE;
    /** --help: show the usage text and exit (the rest of the command line is not read). */
    public boolean help;
    /** --version: show the version and exit (the rest of the command line is not read). */
    public boolean version;
    /** -o and -O commands, in command-line order. */
    public final List<String> commands = new ArrayList<>();
    /** Messages for stderr, in order: obsolete options, adjusted values, features not available. */
    public final List<String> notices = new ArrayList<>();
    /** Positional arguments: {@code [host:]port} and the server specs. */
    public final List<String> positional = new ArrayList<>();

    /** The listen address argument, or null when none was given. */
    public String listen() {
        return positional.isEmpty() ? null : positional.get(0);
    }

    /** The server spec arguments. */
    public List<String> servers() {
        return positional.size() <= 1 ? List.of() : positional.subList(1, positional.size());
    }

    /** The strategy of --strategy and --maglev-table-size. */
    public dev.pen.api.Strategy strategy() {
        return StrategyText.parse(strategy, maglevTableSize == 0 ? null : Integer.toString(maglevTableSize));
    }

    /** True when TLS termination was asked for (-E). */
    public boolean tls() {
        return tlsCertificate != null;
    }
}
