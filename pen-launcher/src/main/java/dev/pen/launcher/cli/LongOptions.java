package dev.pen.launcher.cli;

import dev.pen.api.Network;
import dev.pen.api.ProxyProtocol;
import dev.pen.api.cli.Getopt;
import dev.pen.launcher.admin.AdminAddress;
import java.util.List;

/**
 * pen's long options ({@code --name value} or {@code --name=value}), which the C pen does not have. Adding one is
 * one entry in {@link #TABLE} (its name, its argument's name or null, its line in the usage text, and what it
 * sets) and its field in {@link Options}; values are checked with {@link OptionParser}'s helpers, so that a bad
 * one names the option, the value and what was expected.
 */
final class LongOptions {

    /** Sets an option's field in {@link Options}; {@code value} is null for an option without argument. */
    @FunctionalInterface
    interface Setter {
        void set(Options options, String value) throws CommandLineException;
    }

    /** One long option: name, argument name (null: takes none), help line, and what it sets. */
    record Entry(String name, String argument, String help, Setter setter) {
    }

    static final List<Entry> TABLE = List.of(
            new Entry("help", null, "show this text and exit", (o, v) -> o.help = true),
            new Entry("version", null, "show the version and exit", (o, v) -> o.version = true),
            new Entry("first-byte-timeout", "T", "close a client that sent nothing in T [60]",
                    (o, v) -> o.firstByteTimeout = duration("--first-byte-timeout", v)),
            new Entry("handshake-timeout", "T", "close a TLS client not through its handshake in T [10]",
                    (o, v) -> o.handshakeTimeout = duration("--handshake-timeout", v)),
            check("check", "tcp|http:PATH", "check servers: a connect, or a GET passing on 2xx/3xx [off]"),
            check("inter", "T", "time between checks [2]"),
            check("fastinter", "T", "time between checks while a server goes up or down [inter]"),
            check("rise", "N", "passed checks that bring a down server back [2]"),
            check("fall", "N", "failed checks that take a server down [3]"),
            check("slowstart", "T", "a server back up takes its full share of new clients over T [0]"),
            check("check-timeout", "T", "a check not done in T fails [inter]"),
            new Entry("admin", "[HOST:]PORT", "serve /metrics, /status.json and a status page [off]",
                    (o, v) -> o.admin = admin(v)),
            new Entry("grace", "T", "on TERM, let open connections finish for up to T, then close [off]",
                    (o, v) -> o.grace = grace(v)),
            new Entry("reuseport", null, "share the listen port with a new balancer (SO_REUSEPORT) [off]",
                    (o, v) -> o.reusePort = true),
            new Entry("proxy-protocol", "v1|v2", "send backends a PROXY header naming the client",
                    (o, v) -> o.proxyProtocol = checked("--proxy-protocol", () -> ProxyProtocol.parse(v))),
            new Entry("accept-proxy", "NETWORK[,...]", "take the client from the PROXY header of these networks",
                    (o, v) -> o.acceptProxy = checked("--accept-proxy", () -> Network.parseList(v))),
            new Entry("strategy", "pen|maglev", "choose servers as pen does, or by Maglev consistent hashing [pen]",
                    (o, v) -> o.strategy = checked("--strategy", () -> StrategyText.format(StrategyText.parse(v, null)))),
            new Entry("maglev-table-size", "N", "entries of the Maglev table, a prime [65537]",
                    (o, v) -> o.maglevTableSize = checked("--maglev-table-size", () -> StrategyText.tableSize(v))),
            new Entry("dns-refresh", null, "resolve server names again on their records' TTL (1 s..1 h) [off]",
                    (o, v) -> o.discovery = o.discovery.withDnsRefresh()),
            new Entry("srv", "NAME", "fill free slots from NAME's SRV records, asked again on their TTL",
                    (o, v) -> o.discovery = o.discovery.withSrv(DiscoveryText.srvName(o.discovery, v))),
            new Entry("dns-server", "IP[:PORT]", "the DNS server discovery asks [/etc/resolv.conf]",
                    (o, v) -> o.discovery = o.discovery.withDnsServer(DiscoveryText.dnsServer(v))),
            new Entry("servers-file", "PATH", "servers from PATH, one spec a line, read again when it changes",
                    (o, v) -> o.discovery = o.discovery.withServersFile(DiscoveryText.serversFile(v))));

    /** The longest --grace: a day. */
    static final java.time.Duration MAX_GRACE = java.time.Duration.ofDays(1);

    private LongOptions() {
    }

    /** A health check setting, read as {@link CheckText} reads the control command's keyword of that name. */
    private static Entry check(String name, String argument, String help) {
        String keyword = name.replace('-', '_');
        return new Entry(name, argument, help, (o, v) -> {
            try {
                o.healthCheck = CheckText.apply(o.healthCheck, keyword, v);
            } catch (IllegalArgumentException e) {
                throw CommandLineException.badValue("pen: --" + name + ": " + e.getMessage());
            }
        });
    }

    /** A duration as {@link DurationText} reads it; {@code option} as written, for the error. */
    private static java.time.Duration duration(String option, String value) throws CommandLineException {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw CommandLineException.badValue("pen: " + option + ": " + e.getMessage());
        }
    }

    /** --grace as {@link DurationText} reads it, at most {@link #MAX_GRACE}. */
    private static java.time.Duration grace(String value) throws CommandLineException {
        java.time.Duration d = duration("--grace", value);
        if (d.compareTo(MAX_GRACE) > 0) {
            throw CommandLineException.badValue("pen: --grace: unexpected value '" + value + "' (expected at most "
                    + MAX_GRACE.toSeconds() + " seconds)");
        }
        return d;
    }

    /** The admin listener's address as {@link AdminAddress} reads it. */
    private static AdminAddress admin(String value) throws CommandLineException {
        try {
            return AdminAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw CommandLineException.badValue("pen: --admin: " + e.getMessage());
        }
    }

    /** A value read by {@code parse}, whose error becomes the option's one-line error. */
    private static <T> T checked(String option, java.util.function.Supplier<T> parse) throws CommandLineException {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw CommandLineException.badValue("pen: " + option + ": " + e.getMessage());
        }
    }

    /** The table as the shared getopt reads it. */
    static List<Getopt.LongOption> getopt() {
        return TABLE.stream().map(e -> new Getopt.LongOption(e.name(), e.argument() != null)).toList();
    }

    /** Applies a long option the getopt found in the table. */
    static void apply(Options options, Getopt.Option option) throws CommandLineException {
        for (Entry e : TABLE) {
            if (e.name().equals(option.name())) {
                e.setter().set(options, option.argument());
                return;
            }
        }
        throw new IllegalStateException("option --" + option.name() + " has no entry");
    }

    /** The usage text's lines for the long options, aligned as pen's letters are. */
    static String usageLines() {
        StringBuilder b = new StringBuilder();
        for (Entry e : TABLE) {
            String left = "--" + e.name() + (e.argument() == null ? "" : " " + e.argument());
            // A name too long for the column puts its help on the next line, at the column.
            b.append(String.format(left.length() < 14 ? "  %-14s%s%n" : "  %s%n                %s%n", left, e.help()));
        }
        return b.toString();
    }
}
