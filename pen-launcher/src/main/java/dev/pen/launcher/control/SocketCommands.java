package dev.pen.launcher.control;

import dev.pen.api.BalancerConfig;
import dev.pen.api.FastClose;
import dev.pen.launcher.control.Command.Outcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * pen's socket tunables, each a setting of the balancer's configuration that applies to connections made
 * afterwards: {@code tcp_nodelay}, {@code keepalive}, {@code source}, {@code transparent}, {@code tcp_fastclose},
 * {@code pending_max}, {@code dummy}, {@code multi_accept} for pen's -m, and {@code idlers}, the idle server
 * connections kept open.
 */
final class SocketCommands {
    private SocketCommands() {
    }

    static List<Command> all(ControlHost host) {
        List<Command> all = new ArrayList<>();
        flag(all, "tcp_nodelay", "TCP_NODELAY on both sides of new connections", BalancerConfig.Builder::tcpNoDelay);
        flag(all, "keepalive", "SO_KEEPALIVE on new server connections", BalancerConfig.Builder::keepAlive);
        flag(all, "transparent", "connect to servers from the client's address (IP_TRANSPARENT)",
                BalancerConfig.Builder::transparent);
        flag(all, "dummy", "answer every client with a fixed HTTP reply instead of a server",
                BalancerConfig.Builder::dummy);
        all.add(new Command("tcp_fastclose", "up|down|both|off: close both sides when one side closes",
                (c, w) -> {
                    String v = w.arg(0);
                    if (v == null) {
                        return Outcome.reply(c, "do_cmd: ignoring tcp_fastclose without argument\n");
                    }
                    FastClose f;
                    try {
                        f = FastClose.parse(v);
                    } catch (IllegalArgumentException e) {
                        throw new BadArgument("tcp_fastclose: unexpected value '" + v
                                + "' (expected up, down, both or off)");
                    }
                    return Outcome.reply(c.toBuilder().fastClose(f).build(), "");
                }));
        all.add(new Command("pending_max", "N: server connects in progress at once before accepting pauses",
                (c, w) -> {
                    if (w.arg(0) == null) {
                        return Outcome.reply(c, "");
                    }
                    // As in pen, 0 or less means 1.
                    int n = w.number(0, Integer.MIN_VALUE, BalancerConfig.MAX_COUNT,
                            "a number, at most " + BalancerConfig.MAX_COUNT);
                    return Outcome.reply(c.toBuilder().maxPendingConnects(Math.max(1, n)).build(), "");
                }));
        all.add(new Command("multi_accept", "[N]: clients accepted per wakeup (-m)", (c, w) -> {
            BalancerConfig next = c;
            if (w.arg(0) != null) {
                next = c.toBuilder().acceptBatch(w.number(0, 1, BalancerConfig.MAX_COUNT,
                        "a number from 1 to " + BalancerConfig.MAX_COUNT)).build();
            }
            return Outcome.reply(next, next.acceptBatch() + "\n");
        }));
        all.add(new Command("source", "IP: the address server connections come from", (c, w) -> {
            String given = w.required(0, "an IP address");
            InetAddress address = bindable(given);
            if (address == null) {
                // pen's reply, without a newline; unlike pen, the source in force stays.
                return Outcome.reply(c, "unable to set source address to '" + given + "'");
            }
            return Outcome.reply(c.toBuilder().sourceAddress(address).build(), "");
        }));
        all.add(Command.change("no source", "", (c, w) -> c.toBuilder().sourceAddress(null).build()));
        all.add(new Command("idlers", "[N]: idle server connections to keep open", (c, w) -> {
            BalancerConfig next = c;
            if (w.arg(0) != null) {
                next = c.toBuilder().idleConnections(w.number(0, 0, BalancerConfig.MAX_IDLE_CONNECTIONS,
                        "a number from 0 to " + BalancerConfig.MAX_IDLE_CONNECTIONS)).build();
            }
            // pen's figures: those open now, then those wanted.
            return Outcome.reply(next, "Idlers: " + host.live().idleConnections() + "/" + next.idleConnections()
                    + "\n");
        }));
        return all;
    }

    /** {@code name} sets a setting, {@code no name} clears it; neither replies. */
    private static void flag(List<Command> all, String name, String help,
            BiFunction<BalancerConfig.Builder, Boolean, BalancerConfig.Builder> set) {
        all.add(Command.set(name, help, b -> set.apply(b, true)));
        all.add(Command.set("no " + name, "", b -> set.apply(b, false)));
    }

    /** The address {@code given} names if a socket of this host can be bound to it, else null. */
    private static InetAddress bindable(String given) {
        if (given.indexOf('/') >= 0) {
            return null;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(given);
        } catch (UnknownHostException e) {
            return null;
        }
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(address, 0));
            return address;
        } catch (IOException e) {
            return null;
        }
    }
}
