package dev.pen.launcher.control;

import dev.pen.api.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * pen's tunables that this balancer accepts, checks and reports but does not act on, and the commands it answers
 * as not supported (see the launcher's documentation). The {@code ssl_*} commands are {@link TlsCommands}.
 */
final class TunableCommands {
    private TunableCommands() {
    }

    static List<Command> all(ControlHost host, Settings s) {
        List<Command> all = new ArrayList<>();
        flag(all, "ascii", "traffic dumps in ASCII at -d -d -d (-a)", on -> s.ascii = on);
        flag(all, "abort_on_error", "a fatal error aborts (SIGABRT, core dump) instead of exiting 1", on -> s.abortOnError = on);
        flag(all, "dummy", "answer every request with a fixed reply (recorded only)", on -> s.dummy = on);
        flag(all, "keepalive", "SO_KEEPALIVE on server connections (recorded only)", on -> s.keepalive = on);
        flag(all, "tcp_nodelay", "TCP_NODELAY on new sockets (recorded only)", on -> s.tcpNodelay = on);
        flag(all, "transparent", "connect from the client's address (not supported)", on -> {
            s.transparent = on;
            if (on) {
                host.debug(0, "transparent: not supported by this balancer; upstream connections use its own address");
            }
        });
        all.add(Command.query("idlers", "[N]: idle server connections to keep (recorded only)", w -> {
            s.idlersWanted = w.number(0, 0, Integer.MAX_VALUE, "a number, 0 or more", s.idlersWanted);
            return "Idlers: 0/" + s.idlersWanted + "\n";
        }));
        all.add(Command.query("pending_max", "N: connects pending at once (recorded only)", w -> {
            s.pendingMax = Math.max(1, w.number(0, Integer.MIN_VALUE, Integer.MAX_VALUE, "a number"));
            return "";
        }));
        all.add(Command.query("tcp_fastclose", "up|down|both|off: close the other side at once (recorded only)", w -> {
            String v = w.arg(0);
            if (v == null) {
                return "do_cmd: ignoring tcp_fastclose without argument\n";
            }
            if (!List.of("up", "down", "both", "off").contains(v)) {
                throw new BadArgument("tcp_fastclose: unexpected value '" + v + "' (expected up, down, both or off)");
            }
            s.tcpFastclose = v;
            return "";
        }));
        all.add(Command.query("source", "IP: the address server connections come from (recorded only)", w -> {
            String ip = literalAddress(w.required(0, "an IP address"));
            s.source = ip;
            host.debug(0, "source: upstream connections are not bound to " + ip + " (not supported yet)");
            return "";
        }));
        for (String name : List.of("dsr_if", "dsr_ip")) {
            all.add(Command.query(name, "direct server return (not supported)", w -> {
                w.required(0, "an interface or address");
                return name + ": direct server return is not supported by this balancer; ignored\n";
            }));
        }
        for (String name : List.of("epoll", "kqueue", "poll", "select")) {
            all.add(Command.query(name, "the event loop (chosen by the JVM)",
                    w -> name + ": not supported: the event loop is chosen by the JVM; ignored\n"));
        }
        all.add(Command.query("peek", "(not supported)",
                w -> "peek: not supported (pen 0.34.1's peek discards client data); ignored\n"));
        // Never on, so nothing to turn off.
        all.add(Command.query("no peek", "", w -> ""));
        return all;
    }

    /** {@code name} switches a setting on, {@code no name} off; neither replies. */
    private static void flag(List<Command> all, String name, String help, Consumer<Boolean> set) {
        all.add(Command.query(name, help, w -> {
            set.accept(true);
            return "";
        }));
        all.add(Command.query("no " + name, "", w -> {
            set.accept(false);
            return "";
        }));
    }

    private static String literalAddress(String ip) {
        if (HostPort.ipLiteral(ip).isEmpty()) {
            throw new BadArgument("source: bad address '" + ip + "' (expected an IPv4 or IPv6 address)");
        }
        return ip;
    }
}
