package dev.pen.launcher.stats;

import dev.pen.api.BackendStats;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ClientStats;
import dev.pen.api.ConnectionInfo;
import dev.pen.launcher.control.LiveView;
import dev.pen.launcher.control.Replies;
import dev.pen.launcher.log.AddressText;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * pen's statistics: the HTML page of {@code -w} (written on USR1 and by {@code status}) and, without {@code -w},
 * the text dump that USR1 sends to the diagnostics. Layout, headings and columns are pen's, one element a line.
 */
public final class StatusPage {
    private static final String HEAD_CELL = "<td bgcolor=\"#80f080\">";

    private StatusPage() {
    }

    /**
     * The HTML page.
     *
     * @param current the index of the server last chosen (pen's {@code current})
     */
    public static String html(BalancerConfig config, LiveView b, int current) {
        List<BackendStats> servers = b.backends();
        StringBuilder s = new StringBuilder(4096);
        s.append("<html>\n<head>\n<title>Pen status page</title>\n</head>\n")
                .append("<body bgcolor=\"#ffffff\"><h1>Pen status page</h1>\n")
                .append("Time ").append(LocalDateTime.now().format(Replies.TIME)).append(", ")
                .append(config.backendSlots()).append(" servers, ").append(current).append(" current<p>\n")
                .append("<table bgcolor=\"#c0c0c0\">\n");
        header(s, "server", "address", "status", "port", "connections", "max soft", "max hard", "sent", "received",
                "weight", "prio");
        for (BackendStats x : servers) {
            row(s, x.index(), Replies.addressText(x), x.lastFailureMillis() / 1000, Replies.port(x.backend()),
                    x.activeConnections(),
                    x.backend().maxConnections(), x.backend().hardMaxConnections(), x.bytesToBackend(),
                    x.bytesFromBackend(), x.backend().weight().orElse(0), x.backend().priority());
        }
        s.append("</table>\n<h2>Active clients</h2>Max number of clients: ").append(config.limits().clientTableSize())
                .append("<p><table bgcolor=\"#c0c0c0\">\n");
        header(s, "client", "address", "age(secs)", "last server", "connects", "sent", "received");
        long now = System.currentTimeMillis();
        for (ClientStats c : b.clients()) {
            if (c.lastConnectMillis() == 0) {
                continue;
            }
            row(s, c.slot(), Replies.clientText(c),
                    (now - c.lastConnectMillis()) / 1000, c.lastBackend(), c.connects(), c.bytesToClient(),
                    c.bytesFromClient());
        }
        List<ConnectionInfo> open = b.connections();
        long last = open.stream().mapToLong(ConnectionInfo::id).max().orElse(0);
        s.append("</table>\n<h2>Active connections</h2>Number of connections: ").append(config.limits().maxConnections())
                .append(" max, ").append(open.size()).append(" used, ").append(last).append(" last<p>")
                .append("<table bgcolor=\"#c0c0c0\">\n");
        header(s, "connection", "downfd", "upfd", "pending data down", "pending data up", "client", "server");
        for (ConnectionInfo c : open) {
            // Descriptors as the transport shows them (-1 on NIO); no per-side backlog figures are kept: 0.
            row(s, c.id(), c.clientDescriptor(), c.backendDescriptor(), 0, 0, AddressText.of(c.clientAddress()),
                    c.backendIndex());
        }
        s.append("</table>\n");
        if (config.proxy().accepting()) {
            // Only with --accept-proxy, so that the page is otherwise pen's.
            s.append("<h2>PROXY protocol</h2>Headers refused: ").append(b.proxyHeadersRefused()).append("<p>\n");
        }
        s.append("</body>\n</html>\n");
        return s.toString();
    }

    /** pen's text dump (USR1 without -w), one diagnostic line per element. */
    public static List<String> text(BalancerConfig config, LiveView b, int current) {
        List<String> lines = new ArrayList<>();
        lines.add("Time " + LocalDateTime.now().format(Replies.TIME) + ", " + config.backendSlots() + " servers, "
                + current + " current");
        for (BackendStats x : b.backends()) {
            lines.add("Server " + x.index() + " status:");
            lines.add("address " + Replies.addressText(x));
            lines.add(Long.toString(x.lastFailureMillis() / 1000));
            lines.add("port " + Replies.port(x.backend()));
            lines.add(x.activeConnections() + " connections (" + x.backend().maxConnections() + " soft, "
                    + x.backend().hardMaxConnections() + " hard)");
            lines.add(x.bytesToBackend() + " sent, " + x.bytesFromBackend() + " received");
        }
        long now = System.currentTimeMillis();
        for (ClientStats c : b.clients()) {
            if (c.lastConnectMillis() == 0) {
                continue;
            }
            lines.add("Client " + c.slot() + " status:");
            lines.add("address " + Replies.clientText(c));
            lines.add("age " + (now - c.lastConnectMillis()) / 1000 + ", last server " + c.lastBackend() + ", "
                    + c.connects() + " connects");
            lines.add(c.bytesToClient() + " sent, " + c.bytesFromClient() + " received");
        }
        if (config.proxy().accepting()) {
            lines.add("PROXY headers refused: " + b.proxyHeadersRefused());
        }
        return lines;
    }

    private static void header(StringBuilder s, String... cells) {
        s.append("<tr>\n");
        for (String c : cells) {
            s.append(HEAD_CELL).append(c).append("</td>\n");
        }
        s.append("</tr>\n");
    }

    /** A row of cells, each escaped: a server given by a Unix socket path may hold any character. */
    private static void row(StringBuilder s, Object... cells) {
        s.append("<tr>\n");
        for (Object c : cells) {
            s.append("<td>").append(Html.escape(String.valueOf(c))).append("</td>\n");
        }
        s.append("</tr>\n");
    }
}
