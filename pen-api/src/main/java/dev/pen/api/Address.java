package dev.pen.api;

import java.util.Objects;

/**
 * Where to listen or connect: a host (name or literal, {@code null} meaning every local address) and a port, or
 * the path of a Unix domain socket. Values are unresolved; the balancer resolves host names when it starts.
 *
 * <p>The text forms are pen's, split by {@link HostPort}: {@code [host:]port} for a listener, where the last colon
 * splits host from port (so {@code ::1:8080} is IPv6) and brackets are also accepted ({@code [::1]:8080}); any
 * string with a {@code /} is a Unix socket path. Ports may be service names from {@code /etc/services}; a listen port of 0 means a free
 * port chosen by the system.
 */
public record Address(String host, int port, String path) {

    /** Creates an address; exactly one of a port (with an optional host) or a path must be given. */
    public Address {
        if (path != null) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("empty Unix socket path (expected a path such as /run/pen.sock)");
            }
            if (host != null || port != 0) {
                throw new IllegalArgumentException("unexpected host or port with Unix socket path " + path);
            }
        } else if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("unexpected port: " + port + " (expected 1..65535, or 0 for any)");
        } else if (host != null && !isHostText(host)) {
            throw new IllegalArgumentException("unexpected host '" + host
                    + "' (expected a host name or an IP address: letters, digits and . - _ : %)");
        }
    }

    /** The characters of host names and IP literals (an IPv6 zone included): nothing that could break a line. */
    private static boolean isHostText(String host) {
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_' || c == ':' || c == '%';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A TCP or UDP address; {@code host} may be {@code null} for every local address. */
    public static Address of(String host, int port) {
        return new Address(host, port, null);
    }

    /** A Unix domain socket path. */
    public static Address unix(String path) {
        return new Address(null, 0, Objects.requireNonNull(path, "path"));
    }

    /** True for a Unix domain socket path. */
    public boolean isUnix() {
        return path != null;
    }

    /**
     * Parses a listen address: {@code port}, {@code host:port}, {@code ipv6:port}, {@code [ipv6]:port} or a path
     * containing {@code /}. {@code protocol} ("tcp" or "udp") chooses the service table for port names.
     */
    public static Address parseListen(String text, String protocol) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty listen address (expected [host:]port or a socket path)");
        }
        if (HostPort.isPath(s)) {
            return unix(s);
        }
        HostPort split = HostPort.parse(s);
        String host = split.host() == null || split.host().isEmpty() ? null : split.host();
        String portText = split.port();
        // Port 0 asks the system for a free port: useful to embedders and tests, never pen's own command line.
        return of(host, "0".equals(portText) ? 0 : Services.port(portText, protocol));
    }

    /** Checks a port number, naming the value and the expected range when it is out of range. */
    public static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("unexpected port: " + port + " (expected 1..65535)");
        }
        return port;
    }

    /** pen's text for this address: {@code host:port}, {@code [v6]:port}, {@code port} or the path. */
    @Override
    public String toString() {
        if (path != null) {
            return path;
        }
        return new HostPort(host, Integer.toString(port)).toString();
    }
}
