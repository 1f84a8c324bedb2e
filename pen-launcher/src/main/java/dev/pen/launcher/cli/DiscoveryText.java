package dev.pen.launcher.cli;

import dev.pen.api.HostPort;
import dev.pen.launcher.discovery.DiscoverySettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/** The values of the discovery options, checked; a bad one is a one-line error naming the option. */
final class DiscoveryText {
    private DiscoveryText() {
    }

    /** A DNS name of letters, digits, {@code -} and {@code _} in dot-separated labels, at most 253 long. */
    static String srvName(DiscoverySettings soFar, String value) throws CommandLineException {
        if (soFar.srv().size() >= DiscoverySettings.MAX_SRV) {
            throw CommandLineException.badValue("pen: --srv: more than " + DiscoverySettings.MAX_SRV
                    + " names (expected at most " + DiscoverySettings.MAX_SRV + ")");
        }
        String name = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
        boolean ok = !name.isEmpty() && name.length() <= 253;
        for (String label : name.split("\\.", -1)) {
            ok &= !label.isEmpty() && label.length() <= 63
                    && label.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
        }
        if (!ok) {
            throw CommandLineException.badValue("pen: --srv: unexpected name '" + value
                    + "' (expected a DNS name such as _http._tcp.example.com)");
        }
        return name;
    }

    /** {@code IP}, {@code IP:PORT} or {@code [IPv6]:PORT}; the port is 53 when not given. */
    static InetSocketAddress dnsServer(String value) throws CommandLineException {
        String expected = " (expected IP[:PORT] or [IPv6]:PORT, such as 127.0.0.1:5353)";
        HostPort split;
        try {
            // A bare IPv6 address has colons: only the bracketed form carries a port then.
            split = value.indexOf(':') != value.lastIndexOf(':') && !value.startsWith("[")
                    ? new HostPort(value, "53") : HostPort.parse(value, "53");
        } catch (IllegalArgumentException e) {
            throw CommandLineException.badValue("pen: --dns-server: unexpected value '" + value + "'" + expected);
        }
        Optional<InetAddress> ip = HostPort.ipLiteral(split.host());
        int port;
        try {
            port = Integer.parseInt(split.port());
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (ip.isEmpty() || port < 1 || port > 65535) {
            throw CommandLineException.badValue("pen: --dns-server: unexpected value '" + value + "'" + expected);
        }
        return new InetSocketAddress(ip.get(), port);
    }

    /** A path, which must not be empty; the file itself is read at start. */
    static Path serversFile(String value) throws CommandLineException {
        if (value.isEmpty() || value.indexOf('\0') >= 0) {
            throw CommandLineException.badValue("pen: --servers-file: unexpected path '" + value
                    + "' (expected a file of server specs)");
        }
        return Path.of(value);
    }
}
