package dev.pen.launcher.control;

import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.launcher.cli.DurationText;
import dev.pen.launcher.cli.StrategyText;
import dev.pen.launcher.control.Command.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * pen's selection modes ({@code hash}, {@code roundrobin}...), the selection strategy ({@code strategy}), http mode
 * and limits ({@code blacklist}, ...).
 */
final class ModeCommands {
    private ModeCommands() {
    }

    static List<Command> all() {
        return List.of(
                mode("hash", "hash the client address for the first choice (-h)", Modes::withHash),
                mode("roundrobin", "round robin, ignoring the client table (-r)", (m, on) -> m.withClientTracking(!on)),
                mode("stubborn", "never fail over to another server (-s)", Modes::withStubborn),
                mode("weight", "choose by weight (-W)", Modes::withWeight),
                mode("prio", "choose by priority", Modes::withPrio),
                mode("no hash", "", Modes::withHash),
                mode("no roundrobin", "", (m, on) -> m.withClientTracking(!on)),
                mode("no stubborn", "", Modes::withStubborn),
                mode("no weight", "", Modes::withWeight),
                mode("no prio", "", Modes::withPrio),
                new Command("mode", "show the mode flags", (c, w) -> Outcome.reply(c, c.modes() + "\n")),
                new Command("strategy", "[pen|maglev [SIZE]]: pen's modes, or Maglev consistent hashing",
                        ModeCommands::strategy),
                Command.set("http", "add X-Forwarded-For to HTTP requests (-H)", b -> b.http(true)),
                Command.set("no http", "", b -> b.http(false)),
                limit("blacklist", "[SECONDS]: how long a failed server is passed over (-b)", 0, "seconds, 0 or more",
                        l -> (int) l.blacklistTime().toSeconds(), (l, n) -> l.withBlacklistTime(Duration.ofSeconds(n))),
                limit("timeout", "[SECONDS]: the connect timeout (-t)", 1, "seconds, 1 or more",
                        l -> (int) l.connectTimeout().toSeconds(), (l, n) -> l.withConnectTimeout(Duration.ofSeconds(n))),
                limit("tracking", "[SECONDS]: how long clients are remembered, 0 = forever (-T)", 0,
                        "seconds, 0 or more (0 = forever)", l -> (int) l.trackingTime().toSeconds(),
                        (l, n) -> l.withTrackingTime(Duration.ofSeconds(n))),
                limit("clients_max", "[N]: grow the client table (-c)", 1, "a number of clients, 1 or more",
                        Limits::clientTableSize, (l, n) -> n > l.clientTableSize() ? l.withClientTableSize(n) : l),
                limit("conn_max", "[N]: grow the connection limit (-x)", 1, "a number of connections, 1 or more",
                        Limits::maxConnections, (l, n) -> n > l.maxConnections() ? l.withMaxConnections(n) : l),
                new Command("idle_timeout", "[SECONDS]: close connections (UDP sessions with -U) idle this long",
                        ModeCommands::idleTimeout),
                timeout("first_byte_timeout", "[DURATION]: close a client that sent nothing this long",
                        BalancerConfig::firstByteTimeout, BalancerConfig.Builder::firstByteTimeout),
                timeout("handshake_timeout", "[DURATION]: close a TLS client whose handshake takes this long",
                        BalancerConfig::handshakeTimeout, BalancerConfig.Builder::handshakeTimeout));
    }

    private static Command mode(String name, String help, BiFunction<Modes, Boolean, Modes> with) {
        boolean on = !name.startsWith("no ");
        return Command.change(name, help, (c, w) -> c.toBuilder().modes(with.apply(c.modes(), on)).build());
    }

    /** A limit that replies its value, after setting it when given. */
    private static Command limit(String name, String help, int min, String expected, ToIntFunction<Limits> get,
            BiFunction<Limits, Integer, Limits> set) {
        return new Command(name, help, (c, w) -> {
            BalancerConfig next = c;
            if (w.arg(0) != null) {
                int n = w.number(0, min, Integer.MAX_VALUE, expected);
                next = c.toBuilder().limits(set.apply(c.limits(), n)).build();
            }
            return Outcome.reply(next, get.applyAsInt(next.limits()) + "\n");
        });
    }

    /**
     * The selection strategy ({@code pen}, {@code maglev}, {@code maglev SIZE}): replies it, after setting it when
     * given. Beyond pen, so pen's mode words keep their meaning; with maglev they choose nothing.
     */
    private static Outcome strategy(BalancerConfig c, Words w) {
        BalancerConfig next = c;
        if (w.arg(0) != null) {
            if (w.count() > 2) {
                throw new BadArgument("strategy: unexpected '" + w.arg(2) + "' (expected pen, maglev or maglev SIZE)");
            }
            next = c.toBuilder().strategy(StrategyText.parse(w.arg(0), w.arg(1))).build();
        }
        return Outcome.reply(next, StrategyText.format(next.strategy()) + "\n");
    }

    /**
     * pen closes any connection idle this long, its UDP sessions included: with -U it is the UDP session timeout
     * (default 60 s, where pen's sessions never end), otherwise the TCP idle timeout (default 0, never).
     */
    private static Outcome idleTimeout(BalancerConfig c, Words w) {
        BalancerConfig next = c;
        if (w.arg(0) != null) {
            Duration d = Duration.ofSeconds(w.number(0, 0, Integer.MAX_VALUE, "seconds, 0 or more"));
            next = c.udp() ? c.toBuilder().udpIdleTimeout(d).build() : c.toBuilder().idleTimeout(d).build();
        }
        Duration now = next.udp() ? next.udpIdleTimeout() : next.idleTimeout();
        return Outcome.reply(next, "Idle timeout: " + now.toSeconds() + " seconds\n");
    }

    /** A duration setting pen does not have: replies its value, after setting it when given. */
    private static Command timeout(String name, String help, Function<BalancerConfig, Duration> get,
            BiFunction<BalancerConfig.Builder, Duration, BalancerConfig.Builder> set) {
        return new Command(name, help, (c, w) -> {
            BalancerConfig next = c;
            if (w.arg(0) != null) {
                next = set.apply(c.toBuilder(), DurationText.parse(w.arg(0))).build();
            }
            return Outcome.reply(next, DurationText.format(get.apply(next)) + "\n");
        });
    }
}
