package dev.pen.launcher.discovery;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The servers discovered from a servers file and SRV records, by literal address: the file's lines in order, then
 * each SRV name's records. The file is read again when its content changes, an SRV name is asked again on its
 * time to live, and every host name in them (file hosts, SRV targets) on its own. What fails keeps its last good
 * value: a file with a bad line keeps the last good set, an SRV name that stops answering its last records, a
 * name its last address. Used by one thread only (discovery's).
 */
final class DiscoveredSet {
    private final DnsLookup lookup;
    private final Names names;
    private final Trouble trouble;
    private final ServersFile file;
    private final Map<String, Srv> srv = new LinkedHashMap<>();
    private List<Backend> fileServers = List.of();

    /** An SRV name's last good records, when to ask again, and the wait after a failure. */
    private static final class Srv {
        List<DnsLookup.Service> services = List.of();
        long dueNanos;
        long retryNanos = DnsLookup.MIN_TTL.toNanos();
    }

    /** @param file the servers file, or null */
    DiscoveredSet(DnsLookup lookup, Names names, Trouble trouble, List<String> srvNames, ServersFile file) {
        this.lookup = lookup;
        this.names = names;
        this.trouble = trouble;
        this.file = file;
        srvNames.forEach(n -> srv.put(n, new Srv()));
    }

    boolean isEmpty() {
        return file == null && srv.isEmpty();
    }

    /**
     * The servers at start, every source read and every name resolved now.
     *
     * @throws IllegalArgumentException one line naming what failed: the file's line, an SRV name without
     *     records, or {@code unknown or invalid address [NAME]}
     */
    Map<Address, Backend> atStart(long nowNanos) {
        if (file != null) {
            fileServers = file.read();
        }
        for (Map.Entry<String, Srv> e : srv.entrySet()) {
            try {
                DnsLookup.Services found = lookup.services(e.getKey());
                e.getValue().services = found.services();
                e.getValue().dueNanos = nowNanos + found.ttl().toNanos();
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("--srv " + ex.getMessage());
            }
        }
        Set<String> hosts = new HashSet<>();
        fileServers.stream().filter(b -> !b.address().isUnix()).forEach(b -> hosts.add(b.address().host()));
        srv.values().forEach(s -> s.services.forEach(x -> hosts.add(x.target())));
        for (String host : hosts) {
            try {
                names.resolveNow(host, nowNanos);
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("unknown or invalid address [" + host + "]");
            }
        }
        return servers(nowNanos);
    }

    /** The servers now: sources whose time has come are read or asked again. */
    Map<Address, Backend> now(long nowNanos) {
        if (file != null) {
            try {
                List<Backend> read = file.readIfChanged();
                if (read != null) {
                    fileServers = read;
                    trouble.cleared("file", "servers file " + file.path() + " read: " + read.size() + " servers");
                }
            } catch (IllegalArgumentException e) {
                trouble.failed("file", e.getMessage() + "; the last good servers stay");
            }
        }
        srv.forEach((name, s) -> {
            if (nowNanos - s.dueNanos < 0) {
                return;
            }
            try {
                DnsLookup.Services found = lookup.services(name);
                s.services = found.services();
                s.dueNanos = nowNanos + found.ttl().toNanos();
                s.retryNanos = DnsLookup.MIN_TTL.toNanos();
                trouble.cleared("srv " + name, "--srv " + name + " answers again");
            } catch (UnknownHostException e) {
                s.dueNanos = nowNanos + s.retryNanos;
                s.retryNanos = Math.min(s.retryNanos * 2, Names.MAX_RETRY.toNanos());
                trouble.failed("srv " + name, "--srv " + e.getMessage() + "; keeping its last "
                        + s.services.size() + " servers");
            }
        });
        return servers(nowNanos);
    }

    private Map<Address, Backend> servers(long nowNanos) {
        Map<Address, Backend> wanted = new LinkedHashMap<>();
        for (Backend b : fileServers) {
            Backend literal = b.address().isUnix() ? b : at(b, b.address().host(), b.address().port(), nowNanos);
            if (literal != null) {
                wanted.putIfAbsent(literal.address(), literal);
            }
        }
        for (Srv s : srv.values()) {
            for (DnsLookup.Service x : s.services) {
                // An SRV weight of 0 means "no preference" there, while pen's weight 0 takes no new clients.
                Backend b = new Backend(Address.of(x.target(), x.port()), 0, 0,
                        x.weight() == 0 ? OptionalInt.empty() : OptionalInt.of(x.weight()), x.priority(), 0);
                Backend literal = at(b, x.target(), x.port(), nowNanos);
                if (literal != null) {
                    wanted.putIfAbsent(literal.address(), literal);
                }
            }
        }
        return wanted;
    }

    private Backend at(Backend b, String host, int port, long nowNanos) {
        InetAddress found = names.address(host, nowNanos);
        return found == null ? null : b.withAddress(Address.of(found.getHostAddress(), port));
    }

    /** The host names in use now. */
    Set<String> followed() {
        Set<String> hosts = new HashSet<>();
        fileServers.stream().filter(b -> !b.address().isUnix()).forEach(b -> hosts.add(b.address().host()));
        srv.values().forEach(s -> s.services.forEach(x -> hosts.add(x.target())));
        return hosts;
    }
}
