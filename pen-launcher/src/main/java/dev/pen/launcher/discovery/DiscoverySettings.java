package dev.pen.launcher.discovery;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * What the launcher's discovery options ask for: {@code --dns-refresh} (follow the names of the command line's
 * servers), {@code --srv NAME} (fill slots from SRV records), {@code --dns-server} (the DNS server to ask, null
 * for the system's) and {@code --servers-file} (null for none).
 */
public record DiscoverySettings(boolean dnsRefresh, List<String> srv, InetSocketAddress dnsServer, Path serversFile) {
    /** The most {@code --srv} names. */
    public static final int MAX_SRV = 16;

    /** Nothing asked for: names are resolved once at start by the system, as pen does. */
    public static final DiscoverySettings NONE = new DiscoverySettings(false, List.of(), null, null);

    public DiscoverySettings {
        srv = List.copyOf(srv);
    }

    /** Whether any discovery option was given. */
    public boolean any() {
        return dnsRefresh || !srv.isEmpty() || dnsServer != null || serversFile != null;
    }

    /** A copy with {@code --dns-refresh}. */
    public DiscoverySettings withDnsRefresh() {
        return new DiscoverySettings(true, srv, dnsServer, serversFile);
    }

    /** A copy with one more {@code --srv} name. */
    public DiscoverySettings withSrv(String name) {
        List<String> more = new java.util.ArrayList<>(srv);
        more.add(name);
        return new DiscoverySettings(dnsRefresh, more, dnsServer, serversFile);
    }

    /** A copy asking {@code server}. */
    public DiscoverySettings withDnsServer(InetSocketAddress server) {
        return new DiscoverySettings(dnsRefresh, srv, server, serversFile);
    }

    /** A copy reading {@code file}. */
    public DiscoverySettings withServersFile(Path file) {
        return new DiscoverySettings(dnsRefresh, srv, dnsServer, file);
    }
}
