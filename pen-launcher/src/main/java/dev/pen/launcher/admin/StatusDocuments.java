package dev.pen.launcher.admin;

import dev.pen.api.BackendStats;
import dev.pen.api.BalancerConfig;
import dev.pen.api.CheckResult;
import dev.pen.api.ClientStats;
import dev.pen.launcher.control.LiveView;
import dev.pen.launcher.control.Replies;
import dev.pen.launcher.stats.Html;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The admin listener's {@code /status.json} and {@code /} page: the servers (address, state, connections, bytes,
 * failures, limits, the last check's result) and the tracked clients, what penctl's {@code servers} and
 * {@code recent} show. Every text from outside (addresses, socket paths, the name) is escaped: JSON strings by
 * RFC 8259, page cells as HTML text.
 */
public final class StatusDocuments {
    /** The most clients listed; the table may hold up to a million, and a page must stay small. */
    public static final int MAX_CLIENTS = 1000;
    /** Seconds between two loads of the page. */
    static final int REFRESH_SECONDS = 2;

    private StatusDocuments() {
    }

    /** A snapshot of what both documents show, taken once. */
    record Snapshot(BalancerConfig config, List<BackendStats> servers, List<ClientStats> clients, int clientsTracked,
            int openConnections, long takenAtMillis) {

        static Snapshot of(BalancerConfig config, LiveView live) {
            List<ClientStats> tracked = new ArrayList<>();
            for (ClientStats c : live.clients()) {
                if (c.lastConnectMillis() != 0) {
                    tracked.add(c);
                }
            }
            tracked.sort(Comparator.comparingLong(ClientStats::lastConnectMillis).reversed());
            List<ClientStats> shown = tracked.size() > MAX_CLIENTS ? tracked.subList(0, MAX_CLIENTS) : tracked;
            return new Snapshot(config, live.backends(), List.copyOf(shown), tracked.size(),
                    live.connections().size(), System.currentTimeMillis());
        }
    }

    /** A server's state as the documents write it: {@code up}, {@code blacklisted}, {@code down}, {@code draining}. */
    static String state(BackendStats x) {
        return x.state().name().toLowerCase(Locale.ROOT);
    }

    // ---- JSON ---------------------------------------------------------------------------------------------------

    /** {@code /status.json}. */
    static String json(Snapshot s) {
        StringBuilder b = new StringBuilder(1024);
        b.append("{\"balancer\":{\"name\":").append(string(s.config().name()))
                .append(",\"listen\":").append(string(s.config().listen().toString()))
                .append(",\"connections\":").append(s.openConnections())
                .append(",\"time\":").append(string(Instant.ofEpochMilli(s.takenAtMillis()).toString()))
                .append("},\n\"servers\":[");
        String sep = "\n";
        for (BackendStats x : s.servers()) {
            b.append(sep).append("{\"index\":").append(x.index())
                    .append(",\"address\":").append(string(Replies.addressText(x)))
                    .append(",\"port\":").append(Replies.port(x.backend()))
                    .append(",\"state\":").append(string(state(x)))
                    .append(",\"connections\":").append(x.activeConnections())
                    .append(",\"connections_total\":").append(x.totalConnections())
                    .append(",\"bytes_to_server\":").append(x.bytesToBackend())
                    .append(",\"bytes_from_server\":").append(x.bytesFromBackend())
                    .append(",\"connect_failures\":").append(x.connectFailures())
                    .append(",\"last_failure\":").append(time(x.lastFailureMillis()))
                    .append(",\"blacklisted_until\":").append(time(x.blacklistedUntilMillis()))
                    .append(",\"max\":").append(x.backend().maxConnections())
                    .append(",\"hard\":").append(x.backend().hardMaxConnections())
                    .append(",\"weight\":").append(x.backend().weight().orElse(0))
                    .append(",\"prio\":").append(x.backend().priority())
                    .append(",\"last_check\":").append(check(x.lastCheck())).append('}');
            sep = ",\n";
        }
        b.append("],\n\"clients_tracked\":").append(s.clientsTracked()).append(",\n\"clients\":[");
        sep = "\n";
        for (ClientStats c : s.clients()) {
            b.append(sep).append("{\"address\":").append(string(Replies.clientText(c)))
                    .append(",\"last_connect\":").append(time(c.lastConnectMillis()))
                    .append(",\"server\":").append(c.lastBackend())
                    .append(",\"connects\":").append(c.connects())
                    .append(",\"bytes_to_client\":").append(c.bytesToClient())
                    .append(",\"bytes_from_client\":").append(c.bytesFromClient()).append('}');
            sep = ",\n";
        }
        return b.append("]}\n").toString();
    }

    private static String time(long millis) {
        return millis == 0 ? "null" : string(Instant.ofEpochMilli(millis).toString());
    }

    /** {@code text} as a JSON string: quotes, backslashes and control characters escaped (RFC 8259). */
    static String string(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    // Control characters, and the two line separators some JavaScript parsers choke on.
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ---- HTML ---------------------------------------------------------------------------------------------------

    /** {@code /}: a page that loads itself again every {@link #REFRESH_SECONDS} seconds; no script at all. */
    static String html(Snapshot s) {
        StringBuilder b = new StringBuilder(4096);
        String name = escape(s.config().name());
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                .append("<title>pen ").append(name).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:1em 2em;color:#222}")
                .append("table{border-collapse:collapse;margin-bottom:1.5em}")
                .append("th,td{border:1px solid #bbb;padding:.25em .6em;text-align:right}")
                .append("th{background:#eee}td.text{text-align:left}")
                .append("tr.up td.state{background:#b8e6b8}tr.blacklisted td.state{background:#f5c16c}")
                .append("tr.down td.state{background:#f08080}tr.draining td.state{background:#b8c8f0}")
                .append("</style></head>\n<body>\n<h1>pen ").append(name).append("</h1>\n<p>listening on ")
                .append(escape(s.config().listen().toString())).append(", ").append(s.openConnections())
                .append(" connections open, ").append(s.clientsTracked()).append(" clients tracked; ")
                .append(escape(LocalDateTime.ofInstant(Instant.ofEpochMilli(s.takenAtMillis()), ZoneId.systemDefault())
                        .format(Replies.TIME)))
                .append(" (<a href=\"status.json\">status.json</a>, <a href=\"metrics\">metrics</a>)</p>\n")
                .append("<h2>Servers</h2>\n<table id=\"servers\">\n");
        header(b, "server", "address", "port", "state", "conn", "total", "sx", "rx", "failures", "max", "hard",
                "weight", "prio", "last check");
        for (BackendStats x : s.servers()) {
            String state = state(x);
            b.append("<tr id=\"server-").append(x.index()).append("\" class=\"").append(state).append("\">");
            cell(b, "", Integer.toString(x.index()));
            cell(b, "text", Replies.addressText(x));
            cell(b, "", Integer.toString(Replies.port(x.backend())));
            cell(b, "text state", state);
            for (long n : new long[] {x.activeConnections(), x.totalConnections(), x.bytesToBackend(),
                    x.bytesFromBackend(), x.connectFailures(), x.backend().maxConnections(),
                    x.backend().hardMaxConnections(), x.backend().weight().orElse(0), x.backend().priority()}) {
                cell(b, "", Long.toString(n));
            }
            cell(b, "text", x.lastCheck() == null ? ""
                    : (x.lastCheck().passed() ? "passed: " : "failed: ") + x.lastCheck().detail());
            b.append("</tr>\n");
        }
        b.append("</table>\n<h2>Clients</h2>\n<table id=\"clients\">\n");
        header(b, "client", "last connect", "server", "connects", "sx", "rx");
        for (ClientStats c : s.clients()) {
            b.append("<tr>");
            cell(b, "text", Replies.clientText(c));
            cell(b, "text", LocalDateTime.ofInstant(Instant.ofEpochMilli(c.lastConnectMillis()), ZoneId.systemDefault())
                    .format(Replies.TIME));
            cell(b, "", Integer.toString(c.lastBackend()));
            cell(b, "", Long.toString(c.connects()));
            cell(b, "", Long.toString(c.bytesToClient()));
            cell(b, "", Long.toString(c.bytesFromClient()));
            b.append("</tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    /** The last health check as {@code {"passed":..,"detail":..,"time":..}}, or {@code null} when none ran. */
    private static String check(CheckResult c) {
        if (c == null) {
            return "null";
        }
        return "{\"passed\":" + c.passed() + ",\"detail\":" + string(c.detail()) + ",\"time\":" + time(c.atMillis())
                + "}";
    }

    private static void header(StringBuilder b, String... names) {
        b.append("<tr>");
        for (String n : names) {
            b.append("<th>").append(escape(n)).append("</th>");
        }
        b.append("</tr>\n");
    }

    private static void cell(StringBuilder b, String cssClass, String text) {
        b.append(cssClass.isEmpty() ? "<td>" : "<td class=\"" + cssClass + "\">").append(escape(text)).append("</td>");
    }

    static String escape(String text) {
        return Html.escape(text);
    }
}
