package dev.pen.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * A host and a port as pen writes them on a command line, split but not checked or resolved: the port is the text
 * given (a number or a service name), for the caller to read with its own rules and messages. The host is
 * {@code null} when none was written and empty when the text had an empty host ({@code :8080}); the port is
 * {@code null} only when the connect form found none and had no default.
 *
 * <p>Two forms: pen's listen form ({@link #parse(String)}), where a lone word is a port and the last colon splits,
 * and the connect form ({@link #parse(String, String)}), where a lone word is a host with a default port and the
 * first colon splits. Both take {@code [ipv6]} in brackets. A Unix socket path is told apart by {@link
 * #isPath(String)}; an IP address literal by {@link #ipLiteral(String)}.
 */
public record HostPort(String host, String port) {

    /**
     * pen's listen form: {@code port}, {@code host:port}, {@code ipv6:port} (the last colon splits, so
     * {@code ::1:8080} is {@code ::1} and 8080) or {@code [ipv6]:port}.
     *
     * @throws Malformed for brackets without a closing one or without {@code :port} after it
     */
    public static HostPort parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new Malformed(text, "[ipv6]:port");
            }
            return new HostPort(text.substring(1, close), text.substring(close + 2));
        }
        int colon = text.lastIndexOf(':');
        return colon < 0 ? new HostPort(null, text) : new HostPort(text.substring(0, colon), text.substring(colon + 1));
    }

    /**
     * The connect form: {@code host} (with {@code defaultPort}, which may be null), {@code host:port}, {@code [ipv6]} or
     * {@code [ipv6]:port}. The first colon after the host splits, so the port is all the rest: a caller whose
     * port is followed by more {@code :}-separated fields (pen's server spec) splits them itself, and an IPv6
     * address needs brackets.
     *
     * @throws Malformed for brackets without a closing one, or with anything but {@code :} after it
     */
    public static HostPort parse(String text, String defaultPort) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new Malformed(text, "[ipv6]:port");
            }
            String rest = text.substring(close + 1);
            if (!rest.isEmpty() && rest.charAt(0) != ':') {
                throw new Malformed(text, "':' after ']'");
            }
            return new HostPort(text.substring(1, close), rest.isEmpty() ? defaultPort : rest.substring(1));
        }
        int colon = text.indexOf(':');
        return colon < 0 ? new HostPort(text, defaultPort)
                : new HostPort(text.substring(0, colon), text.substring(colon + 1));
    }

    /** pen's rule for a Unix domain socket: any text containing a {@code /} is a path, not a host and port. */
    public static boolean isPath(String text) {
        return text.indexOf('/') >= 0;
    }

    /**
     * The address an IP literal stands for, without any name lookup: a dotted quad of decimal numbers 0..255, or
     * an IPv6 address (optionally in brackets, without a zone such as {@code %eth0}). Empty for anything else,
     * host names included.
     */
    public static Optional<InetAddress> ipLiteral(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (text.indexOf(':') < 0) {
                byte[] quad = dottedQuad(text);
                return quad == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(quad));
            }
            String v6 = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
            // Only hex digits, colons and the dots of an embedded IPv4 address: InetAddress then parses the
            // literal itself and never asks a name server.
            if (v6.isEmpty() || v6.charAt(0) == '.'
                    || !v6.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return Optional.empty();
            }
            return Optional.of(InetAddress.getByName(v6));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] dottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(p);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /** pen's text: {@code host:port}, {@code [ipv6]:port}, or {@code port} without a host. */
    @Override
    public String toString() {
        if (host == null) {
            return port;
        }
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == null ? h : h + ":" + port;
    }

    /** Text that is not in the form asked for; the message names it and what was expected. */
    public static final class Malformed extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String text;
        private final String expected;

        Malformed(String text, String expected) {
            super("bad address '" + text + "' (expected " + expected + ")");
            this.text = text;
            this.expected = expected;
        }

        /** The text as given. */
        public String text() {
            return text;
        }

        /** What was expected, such as {@code [ipv6]:port}. */
        public String expected() {
            return expected;
        }
    }
}
