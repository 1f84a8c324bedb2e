package dev.pen.launcher.control;

import dev.pen.api.AccessList;
import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import dev.pen.api.HealthCheck;
import dev.pen.launcher.cli.CheckText;
import dev.pen.api.ProxyProtocol;
import dev.pen.launcher.control.Command.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * pen's {@code server N key value...} and {@code servers}, with the health check keywords pen does not have
 * ({@code server N check tcp}), and {@code check ...} for the health checks of every server.
 */
final class ServerCommands {
    private ServerCommands() {
    }

    static List<Command> all(ControlHost host) {
        return List.of(
                new Command("server", "N [acl A] [address HOST|PATH] [port P] [max M] [hard H] [weight W] [prio P]"
                        + " [blacklist SECONDS] [drain 1|0] [proxy v1|v2|off] [check tcp|http:PATH|off] [inter T]"
                        + " [fastinter T] [rise N] [fall N] [slowstart T] [check_timeout T]: change, add or blacklist"
                        + " server N",
                        (c, w) -> server(host, c, w)),
                new Command("check", "[tcp|http:PATH|off] [inter T] [fastinter T] [rise N] [fall N] [slowstart T]"
                        + " [check_timeout T]: the health checks of every server", ServerCommands::check),
                new Command("servers", "list the servers with their figures",
                        (c, w) -> Outcome.reply(c, Replies.servers(c, host.live()))));
    }

    /** The keyword/value pairs of one {@code server} command, checked; null for a keyword not given. */
    private static final class Request {
        String address;
        Integer port;
        Integer max;
        Integer hard;
        Integer weight;
        Integer prio;
        Integer acl;
        Integer blacklist;
        Integer drain;
        /** Health check keywords and values, in the order given. */
        final List<String[]> checks = new ArrayList<>();
        ProxyProtocol proxy;

        Request(Words w) {
            for (int i = 1; i < w.count(); i += 2) {
                String key = w.arg(i);
                String v = w.arg(i + 1);
                if (v == null) {
                    throw new BadArgument("server: " + key + " without a value");
                }
                String what = "server " + key;
                switch (key) {
                    case "acl" -> acl = Words.number(what, v, 0, AccessList.LISTS - 1, "an acl number 0..9");
                    case "address" -> address = v;
                    case "port" -> port = Words.port("server port", v);
                    case "max" -> max = Words.number(what, v, 0, Integer.MAX_VALUE, "connections, 0 or more");
                    case "hard" -> hard = Words.number(what, v, 0, Integer.MAX_VALUE, "connections, 0 or more");
                    case "blacklist" -> blacklist = Words.number(what, v, 0, Integer.MAX_VALUE, "seconds, 0 or more");
                    case "weight" -> weight = Words.number(what, v, 0, Integer.MAX_VALUE, "a weight, 0 or more");
                    case "prio" -> prio = Words.number(what, v, Integer.MIN_VALUE, Integer.MAX_VALUE, "a priority");
                    case "drain" -> drain = Words.number(what, v, 0, 1, "1 to drain, 0 to end draining");
                    case "proxy" -> proxy = proxyVersion(v);
                    case "check", "inter", "fastinter", "rise", "fall", "slowstart", "check_timeout" -> {
                        checkSetting(what, HealthCheck.NONE, key, v);
                        checks.add(new String[] {key, v});
                    }
                    default -> throw new BadArgument("server: unexpected keyword '" + key
                            + "' (expected acl, address, port, max, hard, blacklist, weight, prio, drain, proxy, "
                            + String.join(", ", CheckText.KEYWORDS) + ")");
                }
            }
        }

        boolean changesSpec() {
            return address != null || port != null || max != null || hard != null || weight != null || prio != null
                    || acl != null || proxy != null || !checks.isEmpty();
        }

        private static ProxyProtocol proxyVersion(String v) {
            try {
                return ProxyProtocol.parse(v);
            } catch (IllegalArgumentException e) {
                throw new BadArgument("server proxy: " + e.getMessage());
            }
        }

        /** {@code base} with the health check settings of this command. */
        HealthCheck healthCheck(HealthCheck base) {
            HealthCheck h = base;
            for (String[] kv : checks) {
                h = checkSetting("server " + kv[0], h, kv[0], kv[1]);
            }
            return h;
        }
    }

    private static HealthCheck checkSetting(String what, HealthCheck base, String key, String value) {
        try {
            return CheckText.apply(base, key, value);
        } catch (IllegalArgumentException e) {
            throw new BadArgument(what + ": " + e.getMessage());
        }
    }

    /**
     * {@code check [KIND] [keyword value]...}: sets the health check settings of every server (under each server's
     * own), then replies the settings in force as {@code servers} shows them.
     */
    private static Outcome check(BalancerConfig c, Words w) {
        HealthCheck h = c.healthCheck();
        int i = 0;
        if (w.arg(0) != null && !CheckText.KEYWORDS.contains(w.arg(0))) {
            h = checkSetting("check", h, "check", w.arg(0));
            i = 1;
        }
        for (; i < w.count(); i += 2) {
            String key = w.arg(i);
            String v = w.arg(i + 1);
            if (v == null) {
                throw new BadArgument("check: " + key + " without a value");
            }
            if (!CheckText.KEYWORDS.contains(key)) {
                throw new BadArgument("check: unexpected keyword '" + key + "' (expected "
                        + String.join(", ", CheckText.KEYWORDS.subList(1, CheckText.KEYWORDS.size())) + ")");
            }
            h = checkSetting("check " + key, h, key, v);
        }
        BalancerConfig next = h.equals(c.healthCheck()) ? c : c.toBuilder().healthCheck(h).build();
        return Outcome.reply(next, CheckText.resolved(h.resolve()) + "\n");
    }

    private static Outcome server(ControlHost host, BalancerConfig c, Words w) {
        int n = Words.number("server", w.arg(0), 0, BalancerConfig.MAX_SLOTS - 1,
                "a server number, 0.." + (BalancerConfig.MAX_SLOTS - 1));
        Request r = new Request(w);
        Backend base = c.backend(n).orElse(null);
        if (base == null && r.changesSpec() && r.address == null) {
            throw new BadArgument("server: no server " + n + " (expected server " + n
                    + " address HOST port PORT to add it)");
        }
        boolean action = r.blacklist != null || r.drain != null;
        if (base == null && !r.changesSpec() && action && !host.live().beforeStart()) {
            throw new BadArgument("server: no server " + n);
        }
        BalancerConfig next = r.changesSpec() ? c.toBuilder().backend(n, backend(n, base, r)).build() : c;
        // Blacklisting and draining act on the running servers, once the new spec is in force.
        return new Outcome(next, "", () -> {
            if (r.blacklist != null) {
                host.live().blacklistBackend(n, Duration.ofSeconds(r.blacklist));
            }
            if (r.drain != null) {
                host.live().drainBackend(n, r.drain == 1);
            }
        });
    }

    private static Backend backend(int n, Backend base, Request r) {
        Address where;
        if (r.address != null) {
            if (r.address.indexOf('/') >= 0) {
                where = Address.unix(r.address);
            } else {
                int p = r.port != null ? r.port : base != null && !base.address().isUnix() ? base.address().port() : 0;
                if (p == 0) {
                    throw new BadArgument("server: no port for server " + n + " (expected port PORT)");
                }
                where = Address.of(r.address, p);
            }
        } else if (r.port != null) {
            if (base.address().isUnix()) {
                throw new BadArgument("server: server " + n + " is a Unix socket; it has no port");
            }
            where = Address.of(base.address().host(), r.port);
        } else {
            where = base.address();
        }
        return new Backend(where,
                r.max != null ? r.max : base == null ? 0 : base.maxConnections(),
                r.hard != null ? r.hard : base == null ? 0 : base.hardMaxConnections(),
                r.weight != null ? OptionalInt.of(r.weight) : base == null ? OptionalInt.empty() : base.weight(),
                r.prio != null ? r.prio : base == null ? 0 : base.priority(),
                r.acl != null ? r.acl : base == null ? 0 : base.acl(),
                r.healthCheck(base == null ? HealthCheck.NONE : base.healthCheck()),
                r.proxy != null ? Optional.of(r.proxy) : base == null ? Optional.empty() : base.proxyProtocol());
    }
}
