package dev.pen.launcher.control;

import dev.pen.api.AccessList;
import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.ClientStats;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.Services;
import dev.pen.launcher.log.AddressText;
import dev.pen.launcher.log.LogTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * pen's command language (what penctl sends, what {@code -o}/{@code -O} give, what {@code -F} files and
 * {@code include} hold): one line in, pen's reply text out. It acts only through the public {@link Balancer} API
 * and the {@link ControlHost}. Unlike pen it checks every argument: a bad one gets a one-line reply saying what was
 * wrong and what was expected, and changes nothing.
 *
 * <p>Thread-safe: commands run one at a time, under the {@link Settings} monitor.
 */
public final class Interpreter {
    /** Reply texts are pen's, so scripts that read them keep working. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int INCLUDE_DEPTH = 16;
    private static final int MAX_LINE = 4095;

    private final ControlHost host;
    private final Settings settings;
    private final Consumer<String> fileReplies;
    private int includeDepth;

    /**
     * @param fileReplies where replies to commands read from files go ({@code include} and HUP reload): pen prints
     *     them on its standard output
     */
    public Interpreter(ControlHost host, Settings settings, Consumer<String> fileReplies) {
        this.host = host;
        this.settings = settings;
        this.fileReplies = fileReplies;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Runs one command line (anything after its first CR or LF is ignored, as pen does) and returns the reply,
     * each line ending in a newline except where pen sends none; empty when pen replies nothing.
     */
    public String execute(String line) {
        String command = firstLine(line);
        String[] words = Arrays.stream(command.split(" ")).filter(w -> !w.isEmpty()).toArray(String[]::new);
        if (words.length == 0 || words[0].startsWith("#")) {
            return "";
        }
        synchronized (settings) {
            try {
                return run(words);
            } catch (BadArgument e) {
                return e.getMessage() + "\n";
            } catch (IllegalArgumentException | IllegalStateException e) {
                String m = String.valueOf(e.getMessage());
                return (m.startsWith(words[0] + ":") ? m : words[0] + ": " + m) + "\n";
            }
        }
    }

    /**
     * Runs every line of {@code file} (pen's -F, {@code include} and HUP reload); replies go to the file-reply sink.
     *
     * @throws IOException when the file cannot be read
     */
    public void executeFile(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        synchronized (settings) {
            if (includeDepth >= INCLUDE_DEPTH) {
                throw new IOException("include nested deeper than " + INCLUDE_DEPTH + " files at " + file);
            }
            includeDepth++;
            try {
                for (String line : lines) {
                    String reply = execute(line);
                    if (!reply.isEmpty()) {
                        fileReplies.accept(reply);
                    }
                }
            } finally {
                includeDepth--;
            }
        }
    }

    private static String firstLine(String line) {
        String s = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
        int cr = s.indexOf('\r');
        if (cr >= 0) {
            s = s.substring(0, cr);
        }
        int lf = s.indexOf('\n');
        return lf >= 0 ? s.substring(0, lf) : s;
    }

    private String run(String[] w) {
        Balancer b = host.balancer();
        String arg = w.length > 1 ? w[1] : null;
        switch (w[0]) {
            case "abort_on_error" -> settings.abortOnError = true;
            case "acl" -> acl(b, w);
            case "ascii" -> settings.ascii = true;
            case "blacklist" -> {
                if (arg != null) {
                    int s = number(w[0], arg, 0, Integer.MAX_VALUE, "seconds, 0 or more");
                    limits(b, l -> l.withBlacklistTime(Duration.ofSeconds(s)));
                }
                return b.limits().blacklistTime().toSeconds() + "\n";
            }
            case "client_acl" -> {
                if (arg != null) {
                    b.setClientAcl(number(w[0], arg, 0, AccessList.LISTS - 1, "an acl number 0..9"));
                }
                return b.clientAcl() + "\n";
            }
            case "clients_max" -> {
                if (arg != null) {
                    int n = number(w[0], arg, 1, Integer.MAX_VALUE, "a number of clients, 1 or more");
                    limits(b, l -> n > l.clientTableSize() ? l.withClientTableSize(n) : l);
                }
                return b.limits().clientTableSize() + "\n";
            }
            case "close" -> {
                int n = arg == null ? 0 : number(w[0], arg, Integer.MIN_VALUE, Integer.MAX_VALUE, "a connection number");
                if (n < 0 || !b.closeConnection(n)) {
                    return "Connection " + n + " out of range\n";
                }
                return "Forcibly closing connection " + n + "\n";
            }
            case "connection" -> {
                int n = arg == null ? 0 : number(w[0], arg, 0, Integer.MAX_VALUE, "a connection number");
                return connection(b, n);
            }
            case "conn_max" -> {
                if (arg != null) {
                    int n = number(w[0], arg, 1, Integer.MAX_VALUE, "a number of connections, 1 or more");
                    limits(b, l -> n > l.maxConnections() ? l.withMaxConnections(n) : l);
                }
                return b.limits().maxConnections() + "\n";
            }
            case "control" -> {
                return settings.control == null ? "" : settings.control + "\n";
            }
            case "control_acl" -> {
                if (arg != null) {
                    settings.controlAcl = number(w[0], arg, 0, AccessList.LISTS - 1, "an acl number 0..9");
                }
                return settings.controlAcl + "\n";
            }
            case "debug" -> {
                if (arg != null) {
                    settings.debug = number(w[0], arg, 0, Integer.MAX_VALUE, "a debug level, 0 or more");
                }
                return settings.debug + "\n";
            }
            case "dsr_if", "dsr_ip" -> {
                required(w, "an interface or address");
                return w[0] + ": direct server return is not supported by this balancer; ignored\n";
            }
            case "dummy" -> settings.dummy = true;
            case "epoll", "kqueue", "poll", "select" -> {
                return w[0] + ": not supported: the event loop is chosen by the JVM; ignored\n";
            }
            case "exit" -> {
                if (!host.exitEnabled()) {
                    return "Exit is not enabled; restart with -X flag\n";
                }
                host.exit();
            }
            case "hash" -> modes(b, m -> m.withHash(true));
            case "http" -> b.setHttpMode(true);
            case "idle_timeout" -> {
                Integer seconds = arg == null ? null : number(w[0], arg, 0, Integer.MAX_VALUE, "seconds, 0 or more");
                if (b.udp()) {
                    // pen closes any connection idle this long, its UDP sessions included; here that is the UDP
                    // session timeout (default 60 s), as TCP connections have no idle timeout yet.
                    if (seconds != null) {
                        b.setUdpIdleTimeout(Duration.ofSeconds(seconds));
                    }
                    return "Idle timeout: " + b.udpIdleTimeout().toSeconds() + " seconds\n";
                }
                if (seconds != null) {
                    settings.idleTimeout = seconds;
                }
                return "Idle timeout: " + settings.idleTimeout + " seconds\n";
            }
            case "idlers" -> {
                if (arg != null) {
                    settings.idlersWanted = number(w[0], arg, 0, Integer.MAX_VALUE, "a number, 0 or more");
                }
                return "Idlers: 0/" + settings.idlersWanted + "\n";
            }
            case "include" -> include(required(w, "a file name"));
            case "keepalive" -> settings.keepalive = true;
            case "listen" -> {
                if (arg != null) {
                    host.listen(arg);
                    settings.listen = arg;
                }
                return settings.listen == null ? "" : settings.listen + "\n";
            }
            case "log" -> {
                if (arg != null) {
                    host.log(arg);
                    settings.log = arg;
                }
                return logReply();
            }
            case "mode" -> {
                return b.modes() + "\n";
            }
            case "no" -> {
                return no(b, w);
            }
            case "peek" -> {
                return "peek: not supported (pen 0.34.1's peek discards client data); ignored\n";
            }
            case "pending_max" -> settings.pendingMax =
                    Math.max(1, number(w[0], required(w, "a number"), Integer.MIN_VALUE, Integer.MAX_VALUE, "a number"));
            case "pid" -> {
                return host.pid() + "\n";
            }
            case "prio" -> modes(b, m -> m.withPrio(true));
            case "recent" -> {
                int seconds = arg == null ? 300 : number(w[0], arg, 0, Integer.MAX_VALUE, "seconds, 0 or more");
                return recent(b, seconds);
            }
            case "roundrobin" -> modes(b, m -> m.withRoundRobin(true));
            case "server" -> server(b, w);
            case "servers" -> {
                return servers(b);
            }
            case "socket" -> {
                int n = arg == null ? 0 : number(w[0], arg, Integer.MIN_VALUE, Integer.MAX_VALUE, "a socket number");
                return "Socket " + n + " belongs to connection -1\n";
            }
            case "source" -> {
                String ip = required(w, "an IP address");
                literalAddress(w[0], ip);
                settings.source = ip;
                host.debug(0, "source: upstream connections are not bound to " + ip + " (not supported yet)");
            }
            case "ssl_ciphers", "ssl_client_renegotiation_interval", "ssl_ocsp_response", "ssl_option",
                    "ssl_sni_path" -> {
                required(w, "a value");
                return w[0] + ": not supported by this balancer (TLS is set by -E -K -G -A -R -L); ignored\n";
            }
            case "status" -> {
                String page = host.writeStatus();
                if (page == null) {
                    host.debug(0, "Don't know where to write web stats; see -w option");
                    return "Unable to create webstats\n";
                }
                return page;
            }
            case "stubborn" -> modes(b, m -> m.withStubborn(true));
            case "tarpit_acl" -> {
                if (arg != null) {
                    settings.tarpitAcl = number(w[0], arg, -1, AccessList.LISTS - 1, "an acl number -1..9");
                }
                return "tarpit_acl = " + settings.tarpitAcl;
            }
            case "tcp_fastclose" -> {
                if (arg == null) {
                    return "do_cmd: ignoring tcp_fastclose without argument\n";
                }
                if (!List.of("up", "down", "both", "off").contains(arg)) {
                    throw new BadArgument("tcp_fastclose: unexpected value '" + arg + "' (expected up, down, both or off)");
                }
                settings.tcpFastclose = arg;
            }
            case "tcp_nodelay" -> settings.tcpNodelay = true;
            case "timeout" -> {
                if (arg != null) {
                    int s = number(w[0], arg, 1, Integer.MAX_VALUE, "seconds, 1 or more");
                    limits(b, l -> l.withConnectTimeout(Duration.ofSeconds(s)));
                }
                return b.limits().connectTimeout().toSeconds() + "\n";
            }
            case "tracking" -> {
                if (arg != null) {
                    int s = number(w[0], arg, 0, Integer.MAX_VALUE, "seconds, 0 or more (0 = forever)");
                    limits(b, l -> l.withTrackingTime(Duration.ofSeconds(s)));
                }
                return b.limits().trackingTime().toSeconds() + "\n";
            }
            case "transparent" -> {
                settings.transparent = true;
                host.debug(0, "transparent: not supported by this balancer; upstream connections use its own address");
            }
            case "web_stats" -> {
                if (arg != null) {
                    settings.webStats = arg;
                }
                return settings.webStats == null ? "" : settings.webStats + "\n";
            }
            case "weight" -> modes(b, m -> m.withWeight(true));
            case "write" -> write(b, arg);
            default -> {
                return "do_cmd: ignoring command starting with '" + w[0] + "'\n";
            }
        }
        return "";
    }

    private String no(Balancer b, String[] w) {
        if (w.length < 2) {
            return "";
        }
        switch (w[1]) {
            case "abort_on_error" -> settings.abortOnError = false;
            case "acl" -> {
                int n = number("no acl", w.length > 2 ? w[2] : null, 0, AccessList.LISTS - 1, "an acl number 0..9");
                b.setAccessList(n, AccessList.empty());
            }
            case "ascii" -> settings.ascii = false;
            case "dummy" -> settings.dummy = false;
            case "hash" -> modes(b, m -> m.withHash(false));
            case "http" -> b.setHttpMode(false);
            case "keepalive" -> settings.keepalive = false;
            case "log" -> {
                host.log(null);
                settings.log = null;
            }
            case "peek" -> {
                // Never on, so nothing to turn off.
            }
            case "prio" -> modes(b, m -> m.withPrio(false));
            case "roundrobin" -> modes(b, m -> m.withRoundRobin(false));
            case "stubborn" -> modes(b, m -> m.withStubborn(false));
            case "tcp_nodelay" -> settings.tcpNodelay = false;
            case "transparent" -> settings.transparent = false;
            case "web_stats" -> settings.webStats = null;
            case "weight" -> modes(b, m -> m.withWeight(false));
            default -> {
                // pen ignores "no X" for any X it does not know.
            }
        }
        return "";
    }

    private String logReply() {
        String log = settings.log;
        if (log == null) {
            return "";
        }
        // pen keeps only the host of a network log's host:port, and shows that.
        if (LogTarget.isNetwork(log)) {
            return log.substring(0, log.lastIndexOf(':')) + "\n";
        }
        return log + "\n";
    }

    private void acl(Balancer b, String[] w) {
        if (w.length < 4) {
            throw new BadArgument("acl: expected acl N permit|deny ADDRESS [MASK]");
        }
        int n = number("acl", w[1], 0, AccessList.LISTS - 1, "an acl number 0..9");
        if (w[3].equals("country")) {
            throw new BadArgument("acl: country ACLs (GeoIP) are not supported; entry ignored");
        }
        AccessList.Entry entry = AccessList.Entry.parse(w[2], w[3], w.length > 4 ? w[4] : null);
        b.setAccessList(n, b.accessList(n).with(entry));
    }

    private void include(String file) {
        try {
            executeFile(Path.of(file));
        } catch (IOException e) {
            throw new BadArgument("include: can't read '" + file + "': " + reason(e));
        }
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }

    private void server(Balancer b, String[] w) {
        int n = number("server", w.length > 1 ? w[1] : null, 0, 1 << 20, "a server number, 0 or more");
        Optional<BackendStats> current = b.backend(n);
        String address = null;
        Integer port = null;
        Integer max = null;
        Integer hard = null;
        Integer blacklist = null;
        Integer weight = null;
        Integer prio = null;
        Integer acl = null;
        for (int i = 2; i < w.length; i += 2) {
            String key = w[i];
            if (i + 1 >= w.length) {
                throw new BadArgument("server: " + key + " without a value");
            }
            String v = w[i + 1];
            switch (key) {
                case "acl" -> acl = number("server " + key, v, 0, AccessList.LISTS - 1, "an acl number 0..9");
                case "address" -> address = v;
                case "port" -> port = port("server port", v);
                case "max" -> max = number("server " + key, v, 0, Integer.MAX_VALUE, "connections, 0 or more");
                case "hard" -> hard = number("server " + key, v, 0, Integer.MAX_VALUE, "connections, 0 or more");
                case "blacklist" -> blacklist = number("server " + key, v, 0, Integer.MAX_VALUE, "seconds, 0 or more");
                case "weight" -> weight = number("server " + key, v, 0, Integer.MAX_VALUE, "a weight, 0 or more");
                case "prio" -> prio = number("server " + key, v, Integer.MIN_VALUE, Integer.MAX_VALUE, "a priority");
                default -> throw new BadArgument("server: unexpected keyword '" + key
                        + "' (expected acl, address, port, max, hard, blacklist, weight or prio)");
            }
        }
        Backend base = current.map(BackendStats::backend).orElse(null);
        boolean changes = address != null || port != null || max != null || hard != null || weight != null
                || prio != null || acl != null;
        if (base == null && changes && address == null) {
            throw new BadArgument("server: no server " + n + " (expected server " + n + " address HOST port PORT to add it)");
        }
        if (base == null && blacklist != null && !changes) {
            throw new BadArgument("server: no server " + n);
        }
        if (changes) {
            Address where;
            if (address != null) {
                if (address.indexOf('/') >= 0) {
                    where = Address.unix(address);
                } else {
                    int p = port != null ? port : base != null && !base.address().isUnix() ? base.address().port() : 0;
                    if (p == 0) {
                        throw new BadArgument("server: no port for server " + n + " (expected port PORT)");
                    }
                    where = Address.of(address, p);
                }
            } else if (port != null) {
                if (base.address().isUnix()) {
                    throw new BadArgument("server: server " + n + " is a Unix socket; it has no port");
                }
                where = Address.of(base.address().host(), port);
            } else {
                where = base.address();
            }
            Backend next = new Backend(where,
                    max != null ? max : base == null ? 0 : base.maxConnections(),
                    hard != null ? hard : base == null ? 0 : base.hardMaxConnections(),
                    weight != null ? OptionalInt.of(weight) : base == null ? OptionalInt.empty() : base.weight(),
                    prio != null ? prio : base == null ? 0 : base.priority(),
                    acl != null ? acl : base == null ? 0 : base.acl());
            b.setBackend(n, next);
        }
        if (blacklist != null) {
            b.blacklistBackend(n, Duration.ofSeconds(blacklist));
        }
    }

    private static int port(String what, String v) {
        try {
            return Services.port(v, "tcp");
        } catch (IllegalArgumentException e) {
            throw new BadArgument(what + ": " + e.getMessage());
        }
    }

    /** pen's {@code servers} reply: one line per slot, gaps shown as pen shows a slot with no address. */
    static String servers(Balancer b) {
        StringBuilder s = new StringBuilder();
        int slots = b.backendSlots();
        for (int i = 0; i < slots; i++) {
            Optional<BackendStats> st = b.backend(i);
            if (st.isEmpty()) {
                s.append(i).append(" addr (unknown address family 0 port 0 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n");
                continue;
            }
            BackendStats x = st.get();
            Backend be = x.backend();
            s.append(i).append(" addr ").append(addressText(x)).append(" port ")
                    .append(be.address().isUnix() ? 0 : be.address().port())
                    .append(" conn ").append(x.activeConnections()).append(" max ").append(be.maxConnections())
                    .append(" hard ").append(be.hardMaxConnections()).append(" weight ").append(be.weight().orElse(0))
                    .append(" prio ").append(be.priority()).append(" sx ").append(x.bytesToBackend()).append(" rx ")
                    .append(x.bytesFromBackend()).append('\n');
        }
        return s.toString();
    }

    /** The address pen shows for a backend: the address it resolved to, else the host as given. */
    public static String addressText(BackendStats x) {
        Address a = x.backend().address();
        if (a.isUnix()) {
            return a.path();
        }
        String resolved = x.resolvedAddress() == null ? "" : AddressText.of(x.resolvedAddress());
        return resolved.isEmpty() || resolved.startsWith("/") ? a.host() : resolved;
    }

    private static String recent(Balancer b, int seconds) {
        long since = System.currentTimeMillis() - seconds * 1000L;
        StringBuilder s = new StringBuilder();
        for (ClientStats c : b.clients()) {
            if (c.lastConnectMillis() != 0 && c.lastConnectMillis() >= since) {
                s.append(c.address() == null ? "unix" : AddressText.of(c.address())).append(" connects ")
                        .append(c.connects()).append(" sx ").append(c.bytesToClient()).append(" rx ")
                        .append(c.bytesFromClient()).append('\n');
            }
        }
        return s.toString();
    }

    private static String connection(Balancer b, long id) {
        ConnectionInfo found = null;
        for (ConnectionInfo c : b.connections()) {
            if (c.id() == id) {
                found = c;
                break;
            }
        }
        // pen shows its slot's state and file descriptors; the JVM has neither, so an open connection shows as
        // state 1 with its client slot unknown (-1) and its server index.
        return "Connection " + id + ":\n"
                + "state = " + (found == null ? 0 : 1) + "\n"
                + "downfd = -1, upfd = -1\n"
                + "client = " + (found == null ? 0 : -1) + ", server = " + (found == null ? 0 : found.backendIndex()) + "\n"
                + "pend = 0\n";
    }

    private void write(Balancer b, String file) {
        String target = file != null ? file : settings.configFile;
        if (target == null) {
            host.debug(0, "write: no file");
            throw new BadArgument("write: no file (expected write FILE, or a -F file to write to)");
        }
        try {
            Files.writeString(Path.of(target), configText(b, target), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new BadArgument("write: can't write '" + target + "': " + reason(e));
        }
    }

    /** pen's {@code write} output: the state as commands that {@code -F} reads back. */
    String configText(Balancer b, String file) {
        StringBuilder s = new StringBuilder();
        s.append("# Generated by pen ").append(LocalDateTime.now().format(TIME)).append('\n');
        String flags = host.commandLineFlags();
        s.append("# pen ").append(flags.isEmpty() ? "" : flags + " ").append("-F '").append(file).append("' -C ")
                .append(settings.control == null ? "(null)" : settings.control).append(' ')
                .append(settings.listen == null ? "" : settings.listen).append('\n');
        for (int i = 0; i < AccessList.LISTS; i++) {
            s.append("no acl ").append(i).append('\n');
            for (AccessList.Entry e : b.accessList(i).entries()) {
                s.append("acl ").append(i).append(' ').append(e).append('\n');
            }
        }
        Modes m = b.modes();
        Limits l = b.limits();
        s.append(settings.ascii ? "ascii\n" : "no ascii\n");
        s.append("blacklist ").append(l.blacklistTime().toSeconds()).append('\n');
        s.append("client_acl ").append(b.clientAcl()).append('\n');
        s.append("control_acl ").append(settings.controlAcl).append('\n');
        s.append("debug ").append(settings.debug).append('\n');
        s.append(m.hash() ? "hash\n" : "no hash\n");
        s.append(b.httpMode() ? "http\n" : "no http\n");
        if (b.udp() && !b.udpIdleTimeout().equals(dev.pen.api.BalancerConfig.DEFAULT_UDP_IDLE_TIMEOUT)) {
            // Not in pen's layout (pen writes no idle setting), but a UDP session timeout that was changed must
            // read back with -F; pen reads this line too.
            s.append("idle_timeout ").append(b.udpIdleTimeout().toSeconds()).append('\n');
        }
        s.append(settings.log != null ? "log " + settings.log + "\n" : "no log\n");
        s.append(m.roundRobin() ? "roundrobin\n" : "no roundrobin\n");
        for (BackendStats x : b.backends()) {
            Backend be = x.backend();
            s.append("server ").append(x.index()).append(" acl ").append(be.acl()).append(" address ");
            if (be.address().isUnix()) {
                s.append(be.address().path());
            } else {
                s.append(be.address().host()).append(" port ").append(be.address().port());
            }
            s.append(" max ").append(be.maxConnections()).append(" hard ").append(be.hardMaxConnections());
            // Unlike pen, a weight or priority is written whenever it was set, so that the file reads back to
            // the same state whatever the mode; a weight never given stays absent.
            be.weight().ifPresent(wt -> s.append(" weight ").append(wt));
            if (be.priority() != 0) {
                s.append(" prio ").append(be.priority());
            }
            s.append('\n');
        }
        s.append(m.stubborn() ? "stubborn\n" : "no stubborn\n");
        s.append("tcp_fastclose ").append(settings.tcpFastclose).append('\n');
        s.append(settings.tcpNodelay ? "tcp_nodelay\n" : "no tcp_nodelay\n");
        s.append("timeout ").append(l.connectTimeout().toSeconds()).append('\n');
        s.append("tracking ").append(l.trackingTime().toSeconds()).append('\n');
        s.append(settings.webStats != null ? "web_stats " + settings.webStats + "\n" : "no web_stats\n");
        s.append(m.weight() ? "weight\n" : "no weight\n");
        s.append(m.prio() ? "prio\n" : "no prio\n");
        return s.toString();
    }

    private static void modes(Balancer b, UnaryOperator<Modes> change) {
        b.setModes(change.apply(b.modes()));
    }

    private static void limits(Balancer b, UnaryOperator<Limits> change) {
        b.setLimits(change.apply(b.limits()));
    }

    private static String required(String[] w, String expected) {
        if (w.length < 2) {
            throw new BadArgument(w[0] + ": missing argument (expected " + expected + ")");
        }
        return w[1];
    }

    private static void literalAddress(String what, String ip) {
        boolean literal = ip.indexOf(':') >= 0 || ip.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        try {
            if (!literal) {
                throw new IllegalArgumentException();
            }
            InetAddress.getByName(ip);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadArgument(what + ": bad address '" + ip + "' (expected an IPv4 or IPv6 address)");
        }
    }

    private static int number(String what, String text, int min, int max, String expected) {
        if (text == null) {
            throw new BadArgument(what + ": missing argument (expected " + expected + ")");
        }
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadArgument(what + ": unexpected value '" + text + "' (expected " + expected + ")");
        }
        if (n < min || n > max) {
            throw new BadArgument(what + ": unexpected value " + n + " (expected " + expected + ")");
        }
        return n;
    }

    /** A bad argument: its message is the whole reply line. */
    private static final class BadArgument extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message, null);
        }
    }
}
