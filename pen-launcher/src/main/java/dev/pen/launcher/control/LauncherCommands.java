package dev.pen.launcher.control;

import dev.pen.api.Address;
import dev.pen.api.BalancerConfig;
import dev.pen.launcher.control.Command.Outcome;
import dev.pen.launcher.log.LogTarget;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The launcher's own commands: the listen address, the log, diagnostics, the statistics page, the config file
 * ({@code write}, {@code include}), the control port, {@code pid} and {@code exit}.
 */
final class LauncherCommands {
    private LauncherCommands() {
    }

    static List<Command> all(ControlHost host, Settings settings, Interpreter interpreter) {
        return List.of(
                new Command("listen", "[ADDRESS]: move the listener to [host:]port or a socket path",
                        (c, w) -> listen(settings, c, w)),
                Command.query("log", "[FILE|HOST:PORT]: log to a file or a network collector (-l)", w -> {
                    if (w.arg(0) != null) {
                        if (!LogTarget.isNetwork(w.arg(0))) {
                            writable("log", w.arg(0));
                        }
                        host.log(w.arg(0));
                        settings.log = w.arg(0);
                    }
                    return logText(settings.log);
                }),
                Command.query("no log", "", w -> {
                    host.log(null);
                    settings.log = null;
                    return "";
                }),
                Command.query("debug", "[LEVEL]: the diagnostics level (-d)", w -> {
                    settings.debug = w.number(0, 0, Integer.MAX_VALUE, "a debug level, 0 or more", settings.debug);
                    return settings.debug + "\n";
                }),
                Command.query("web_stats", "[FILE]: the statistics page file (-w)", w -> {
                    if (w.arg(0) != null) {
                        writable("web_stats", w.arg(0));
                    }
                    settings.webStats = w.arg(0) != null ? w.arg(0) : settings.webStats;
                    return settings.webStats == null ? "" : settings.webStats + "\n";
                }),
                Command.query("no web_stats", "", w -> {
                    settings.webStats = null;
                    return "";
                }),
                Command.query("status", "write the statistics page and show it", w -> {
                    String page = host.writeStatus();
                    if (page == null) {
                        host.debug(0, "Don't know where to write web stats; see -w option");
                        return "Unable to create webstats\n";
                    }
                    return page;
                }),
                Command.query("control", "show the control address (-C)",
                        w -> settings.control == null ? "" : settings.control + "\n"),
                Command.query("pid", "show the process id", w -> host.pid() + "\n"),
                Command.query("exit", "stop the balancer (with -X)", w -> {
                    if (!settings.commandLine().exitEnabled()) {
                        return "Exit is not enabled; restart with -X flag\n";
                    }
                    host.exit();
                    return "";
                }),
                new Command("write", "[FILE]: write the configuration as commands (default: the -F file)",
                        (c, w) -> Outcome.reply(c, write(host, settings, c, w.arg(0)))),
                Command.query("include", "FILE: run the commands in FILE", w -> {
                    String file = w.required(0, "a file name");
                    try {
                        interpreter.executeFile(Path.of(file));
                    } catch (IOException e) {
                        throw new BadArgument("include: can't read '" + file + "': " + reason(e));
                    }
                    return "";
                }));
    }

    /** The same address again (a HUP reading -F again, say) changes nothing: the listener and its connections stay. */
    private static Outcome listen(Settings settings, BalancerConfig c, Words w) {
        String text = w.arg(0);
        if (text == null) {
            return Outcome.reply(c, settings.listen == null ? "" : settings.listen + "\n");
        }
        Address next = Address.parseListen(text, c.udp() ? "udp" : "tcp");
        BalancerConfig moved = next.equals(c.listen()) ? c : c.toBuilder().listen(next).build();
        return new Outcome(moved, text + "\n", () -> settings.listen = text);
    }

    /** pen keeps only the host of a network log's host:port, and shows that. */
    private static String logText(String log) {
        if (log == null) {
            return "";
        }
        return (LogTarget.isNetwork(log) ? log.substring(0, log.lastIndexOf(':')) : log) + "\n";
    }

    private static String write(ControlHost host, Settings settings, BalancerConfig c, String file) {
        String target = file != null ? file : settings.configFile;
        if (target == null) {
            host.debug(0, "write: no file");
            throw new BadArgument("write: no file (expected write FILE, or a -F file to write to)");
        }
        try {
            PlainFiles.replace(Path.of(target), ConfigWriter.text(c, settings, target));
        } catch (IOException e) {
            throw new BadArgument("write: can't write '" + target + "': " + reason(e));
        }
        return "";
    }

    private static void writable(String command, String file) {
        try {
            PlainFiles.requireWritable(Path.of(file));
        } catch (IOException e) {
            throw new BadArgument(command + ": can't write '" + file + "': " + reason(e));
        }
    }

    static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}
