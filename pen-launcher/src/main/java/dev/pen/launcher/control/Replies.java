package dev.pen.launcher.control;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.BackendStats;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ProxyProtocol;
import dev.pen.api.ClientStats;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.HealthCheck;
import dev.pen.launcher.cli.CheckText;
import dev.pen.launcher.log.AddressText;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * pen's texts for servers, clients and connections, used by the replies of {@code servers}, {@code recent} and
 * {@code connection} and by the statistics page, so that they always agree.
 */
public final class Replies {
    /** pen's time stamps ({@code write}, the statistics page). */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String NO_ADDRESS =
            " addr (unknown address family 0 port 0 conn 0 max 0 hard 0 weight 0 prio 0 sx 0 rx 0\n";

    private Replies() {
    }

    /**
     * pen's {@code servers}: one line per slot, an empty slot shown as pen shows a slot with no address. A server
     * using a feature pen lacks gets {@code key value} pairs after pen's fields (a draining one {@code drain 1}, one
     * with a PROXY header {@code proxy v2}, a checked one its check settings and {@code health up} or
     * {@code health down}); the others none, so their lines stay pen's.
     */
    static String servers(BalancerConfig config, LiveView live) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < config.backendSlots(); i++) {
            Optional<Backend> slot = config.backend(i);
            if (slot.isEmpty()) {
                s.append(i).append(NO_ADDRESS);
                continue;
            }
            Backend be = slot.get();
            int index = i;
            BackendStats x = live.backend(i).orElseGet(() -> LiveView.idle(index, be, 0, BackendState.UP));
            s.append(i).append(" addr ").append(addressText(x)).append(" port ").append(port(be))
                    .append(" conn ").append(x.activeConnections()).append(" max ").append(be.maxConnections())
                    .append(" hard ").append(be.hardMaxConnections()).append(" weight ").append(be.weight().orElse(0))
                    .append(" prio ").append(be.priority()).append(" sx ").append(x.bytesToBackend()).append(" rx ")
                    .append(x.bytesFromBackend());
            if (x.state() == BackendState.DRAINING) {
                s.append(" drain 1");
            }
            if (showsProxy(config, be)) {
                s.append(" proxy ").append(config.proxy().sendTo(be));
            }
            HealthCheck.Resolved check = config.healthCheck(be);
            if (check.checks()) {
                s.append(' ').append(CheckText.resolved(check)).append(" health ").append(x.down() ? "down" : "up");
            }
            s.append('\n');
        }
        return s.toString();
    }

    /**
     * Whether a server's PROXY header is shown and written: when it has its own setting or the balancer sends one,
     * never otherwise, so that a balancer without PROXY headers shows and writes pen's lines.
     */
    static boolean showsProxy(BalancerConfig config, Backend be) {
        return be.proxyProtocol().isPresent() || config.proxy().send() != ProxyProtocol.OFF;
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

    /** The port pen shows for a backend: 0 for a Unix socket. */
    public static int port(Backend b) {
        return b.address().isUnix() ? 0 : b.address().port();
    }

    /** The address pen shows for a client: {@code unix} for one on a Unix socket. */
    public static String clientText(ClientStats c) {
        return c.address() == null ? "unix" : AddressText.of(c.address());
    }

    /** pen's {@code recent}: the clients whose last connection is at most {@code seconds} old, in table order. */
    static String recent(List<ClientStats> clients, int seconds) {
        long since = System.currentTimeMillis() - seconds * 1000L;
        StringBuilder s = new StringBuilder();
        for (ClientStats c : clients) {
            if (c.lastConnectMillis() != 0 && c.lastConnectMillis() >= since) {
                s.append(clientText(c)).append(" connects ").append(c.connects()).append(" sx ")
                        .append(c.bytesToClient()).append(" rx ").append(c.bytesFromClient()).append('\n');
            }
        }
        return s.toString();
    }

    /**
     * pen's {@code connection N}. pen shows its slot's state and file descriptors; an open connection shows as state
     * 1 with its descriptors as the transport shows them (-1 on NIO), its client slot unknown (-1) and its server
     * index.
     */
    static String connection(List<ConnectionInfo> open, long id) {
        ConnectionInfo found = open.stream().filter(c -> c.id() == id).findFirst().orElse(null);
        return "Connection " + id + ":\n"
                + "state = " + (found == null ? 0 : 1) + "\n"
                + "downfd = " + (found == null ? -1 : found.clientDescriptor()) + ", upfd = "
                + (found == null ? -1 : found.backendDescriptor()) + "\n"
                + "client = " + (found == null ? 0 : -1) + ", server = " + (found == null ? 0 : found.backendIndex())
                + "\n"
                + "pend = 0\n";
    }
}
