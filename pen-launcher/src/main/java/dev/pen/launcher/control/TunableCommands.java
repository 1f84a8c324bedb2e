package dev.pen.launcher.control;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * pen's tunables that this balancer accepts, checks and reports but does not act on, and the commands it answers
 * as not supported (see the launcher's documentation). The socket tunables are {@link SocketCommands}.
 */
final class TunableCommands {
    private TunableCommands() {
    }

    static List<Command> all(ControlHost host, Settings s) {
        List<Command> all = new ArrayList<>();
        flag(all, "ascii", "traffic dumps in ASCII at -d -d -d (-a)", on -> s.ascii = on);
        flag(all, "abort_on_error", "abort on fatal errors (recorded only)", on -> s.abortOnError = on);
        all.add(Command.query("idlers", "[N]: idle server connections to keep (recorded only)", w -> {
            s.idlersWanted = w.number(0, 0, Integer.MAX_VALUE, "a number, 0 or more", s.idlersWanted);
            return "Idlers: 0/" + s.idlersWanted + "\n";
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
        for (String name : List.of("ssl_ciphers", "ssl_client_renegotiation_interval", "ssl_ocsp_response",
                "ssl_option", "ssl_sni_path")) {
            all.add(Command.query(name, "(not supported: TLS is set by -E -K -G -A -R -L)", w -> {
                w.required(0, "a value");
                return name + ": not supported by this balancer (TLS is set by -E -K -G -A -R -L); ignored\n";
            }));
        }
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
}
