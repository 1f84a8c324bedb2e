package dev.pen.launcher.control;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * pen's tunables that belong to the launcher ({@code ascii}, {@code abort_on_error}), and the commands it answers
 * as not supported (see the launcher's documentation). The socket tunables are {@link SocketCommands}, the
 * {@code ssl_*} commands {@link TlsCommands}.
 */
final class TunableCommands {
    private TunableCommands() {
    }

    static List<Command> all(ControlHost host, Settings s) {
        List<Command> all = new ArrayList<>();
        flag(all, "ascii", "traffic dumps in ASCII at -d -d -d (-a)", on -> s.ascii = on);
        flag(all, "abort_on_error", "a fatal error aborts (SIGABRT, core dump) instead of exiting 1",
                on -> s.abortOnError = on);
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
}
