package dev.pen.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A backend server as pen describes it: an address (host and port, or a Unix socket path), a soft limit on
 * connections for new clients ({@code maxConnections}, 0 = none), a hard limit that a returning client may reach
 * ({@code hardMaxConnections}), a weight for weighted selection (absent when none was given: it then counts as 1,
 * while an explicit 0 takes no new clients), a priority for priority selection (lower wins), and the ACL list that
 * clients must pass to use it (pen's {@code server N acl A}; 0 by default), its own active health check
 * settings, which lie over the balancer's ({@link HealthCheck#NONE} by default: the balancer's apply), and the
 * PROXY protocol header its connections start with (absent: the balancer's, {@link ProxySettings#send()}).
 *
 * <p>The text form is pen's {@code host[:port[:maxc[:hard[:weight[:prio]]]]]}, with {@code [v6addr]} for IPv6
 * hosts; see {@link #parse(String, int)} and {@link #toString()}.
 */
public record Backend(Address address, int maxConnections, int hardMaxConnections, OptionalInt weight, int priority,
        int acl, HealthCheck healthCheck, Optional<ProxyProtocol> proxyProtocol) {

    /** Index of the emergency server in statistics (pen's hidden slot -1). */
    public static final int EMERGENCY_INDEX = -1;
    /** Index of the abuse server in statistics (pen's hidden slot -2). */
    public static final int ABUSE_INDEX = -2;

    /** Checks every field, naming the bad value and what was expected. */
    public Backend {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        if (maxConnections < 0) {
            throw new IllegalArgumentException("unexpected maxc: " + maxConnections + " (expected 0 or more)");
        }
        if (hardMaxConnections < 0) {
            throw new IllegalArgumentException("unexpected hard: " + hardMaxConnections + " (expected 0 or more)");
        }
        if (weight.isPresent() && weight.getAsInt() < 0) {
            throw new IllegalArgumentException("unexpected weight: " + weight.getAsInt() + " (expected 0 or more)");
        }
        if (acl < 0 || acl >= AccessList.LISTS) {
            throw new IllegalArgumentException("unexpected acl: " + acl + " (expected 0.." + (AccessList.LISTS - 1) + ")");
        }
        if (!address.isUnix() && address.port() == 0) {
            throw new IllegalArgumentException("unexpected port: 0 for backend " + address.host() + " (expected 1..65535)");
        }
        if (address.host() == null && !address.isUnix()) {
            throw new IllegalArgumentException("backend " + address + " has no host (expected host:port)");
        }
    }

    /** A backend with no health check or PROXY protocol settings of its own: the balancer's apply. */
    public Backend(Address address, int maxConnections, int hardMaxConnections, OptionalInt weight, int priority,
            int acl) {
        this(address, maxConnections, hardMaxConnections, weight, priority, acl, HealthCheck.NONE, Optional.empty());
    }

    /** A backend with health check settings of its own and the balancer's PROXY protocol setting. */
    public Backend(Address address, int maxConnections, int hardMaxConnections, OptionalInt weight, int priority,
            int acl, HealthCheck healthCheck) {
        this(address, maxConnections, hardMaxConnections, weight, priority, acl, healthCheck, Optional.empty());
    }

    /** A backend with its own PROXY protocol setting and the balancer's health checks. */
    public Backend(Address address, int maxConnections, int hardMaxConnections, OptionalInt weight, int priority,
            int acl, Optional<ProxyProtocol> proxyProtocol) {
        this(address, maxConnections, hardMaxConnections, weight, priority, acl, HealthCheck.NONE, proxyProtocol);
    }

    /** A backend without limits, weight or priority. */
    public static Backend of(String host, int port) {
        return new Backend(Address.of(host, port), 0, 0, OptionalInt.empty(), 0, 0);
    }

    /** A backend without limits, weight or priority at {@code address}. */
    public static Backend of(Address address) {
        return new Backend(address, 0, 0, OptionalInt.empty(), 0, 0);
    }

    /** The weight used by weighted selection: the given weight, or 1 when none was given. */
    public int effectiveWeight() {
        return weight.orElse(1);
    }

    /** A copy at {@code newAddress}. */
    public Backend withAddress(Address newAddress) {
        return new Backend(newAddress, maxConnections, hardMaxConnections, weight, priority, acl, healthCheck, proxyProtocol);
    }

    /** A copy with the soft limit for new clients (maxc) set to {@code max}; 0 for none. */
    public Backend withMaxConnections(int max) {
        return new Backend(address, max, hardMaxConnections, weight, priority, acl, healthCheck, proxyProtocol);
    }

    /** A copy with the hard limit for returning clients set to {@code hard}. */
    public Backend withHardMaxConnections(int hard) {
        return new Backend(address, maxConnections, hard, weight, priority, acl, healthCheck, proxyProtocol);
    }

    /** A copy with the weight given as {@code newWeight}; 0 takes no new clients in weighted mode. */
    public Backend withWeight(int newWeight) {
        return new Backend(address, maxConnections, hardMaxConnections, OptionalInt.of(newWeight), priority, acl,
                healthCheck, proxyProtocol);
    }

    /** A copy with priority {@code prio} (lower wins in priority mode). */
    public Backend withPriority(int prio) {
        return new Backend(address, maxConnections, hardMaxConnections, weight, prio, acl, healthCheck, proxyProtocol);
    }

    /** A copy whose clients must pass access list {@code newAcl} (pen's {@code server N acl A}). */
    public Backend withAcl(int newAcl) {
        return new Backend(address, maxConnections, hardMaxConnections, weight, priority, newAcl, healthCheck, proxyProtocol);
    }

    /**
     * A copy with its own health check settings, lying over the balancer's ({@link HealthCheck#NONE}: the
     * balancer's apply; {@link HealthCheck#off()}: this backend is not checked).
     */
    public Backend withHealthCheck(HealthCheck check) {
        return new Backend(address, maxConnections, hardMaxConnections, weight, priority, acl, check, proxyProtocol);
    }

    /** A copy whose connections start with a {@code version} PROXY header, whatever the balancer's setting. */
    public Backend withProxyProtocol(ProxyProtocol version) {
        return new Backend(address, maxConnections, hardMaxConnections, weight, priority, acl, healthCheck,
                Optional.of(version));
    }

    /**
     * A copy with {@code other}'s server settings that its spec does not carry: acl, health check settings and
     * PROXY protocol.
     */
    public Backend withSettingsOf(Backend other) {
        return new Backend(address, maxConnections, hardMaxConnections, weight, priority, other.acl,
                other.healthCheck, other.proxyProtocol);
    }

    /**
     * Parses pen's server spec {@code host[:port[:maxc[:hard[:weight[:prio]]]]]} (or {@code [v6]:port...}, or a
     * Unix socket path). A missing port is {@code defaultPort} (pen uses the listen port); ports may be service
     * names; missing limits, weight and priority are 0 (weight: none given).
     */
    public static Backend parse(String spec, int defaultPort) {
        Objects.requireNonNull(spec, "spec");
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty server spec (expected host[:port[:maxc[:hard[:weight[:prio]]]]])");
        }
        if (HostPort.isPath(s)) {
            return of(Address.unix(s));
        }
        HostPort split;
        try {
            split = HostPort.parse(s, null);
        } catch (HostPort.Malformed e) {
            throw new IllegalArgumentException("bad server spec '" + spec + "' (expected " + e.expected() + ")");
        }
        String host = split.host();
        if (host.isEmpty()) {
            throw new IllegalArgumentException("bad server spec '" + spec + "' (expected a host before the port; an IPv6 address needs brackets, as in [::1]:80)");
        }
        // The connect form leaves the port and the fields after it together: port[:maxc[:hard[:weight[:prio]]]].
        String[] f = split.port() == null ? new String[0] : split.port().split(":", -1);
        if (f.length > 5) {
            throw new IllegalArgumentException("bad server spec '" + spec
                    + "' (expected host[:port[:maxc[:hard[:weight[:prio]]]]]; a bare IPv6 address needs brackets)");
        }
        int port = f.length > 0 ? Services.port(f[0], "tcp") : Address.checkPort(defaultPort);
        // An empty field is pen's default, as pen's atoi reads it: 0, and for the weight, none given.
        int maxc = f.length > 1 && !f[1].isEmpty() ? number(f[1], "maxc", spec) : 0;
        int hard = f.length > 2 && !f[2].isEmpty() ? number(f[2], "hard", spec) : 0;
        OptionalInt weight = f.length > 3 && !f[3].isEmpty() ? OptionalInt.of(number(f[3], "weight", spec))
                : OptionalInt.empty();
        int prio = f.length > 4 && !f[4].isEmpty() ? number(f[4], "prio", spec) : 0;
        return new Backend(Address.of(host, port), maxc, hard, weight, prio, 0);
    }

    private static int number(String text, String what, String spec) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "unexpected " + what + " '" + text + "' in server spec '" + spec + "' (expected a number)");
        }
    }

    /** pen's server spec for this backend, shortest form that reads back to the same value. */
    @Override
    public String toString() {
        if (address.isUnix()) {
            return address.path();
        }
        StringBuilder b = new StringBuilder(address.toString());
        int fields = weight.isPresent() ? 4 : 0;
        if (priority != 0) {
            fields = 5;
        }
        if (fields == 0 && hardMaxConnections != 0) {
            fields = 3;
        }
        if (fields == 0 && maxConnections != 0) {
            fields = 2;
        }
        if (fields >= 2) {
            b.append(':').append(maxConnections);
        }
        if (fields >= 3) {
            b.append(':').append(hardMaxConnections);
        }
        if (fields >= 4) {
            // A weight never given stays empty, so that the spec reads back to the same value.
            b.append(':');
            weight.ifPresent(b::append);
        }
        if (fields >= 5) {
            b.append(':').append(priority);
        }
        return b.toString();
    }
}
