package dev.pen.launcher.control;

import dev.pen.api.BalancerConfig;
import dev.pen.launcher.control.Command.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * pen's command language (what penctl sends, what {@code -o}/{@code -O} give, what {@code -F} files and
 * {@code include} hold): one line in, pen's reply text out. A command is looked up in a table that each feature
 * fills ({@link ModeCommands}, {@link ServerCommands}, {@link AclCommands}, {@link ConnectionCommands},
 * {@link LauncherCommands}, {@link SocketCommands}, {@link TunableCommands}, {@link TlsCommands}); it turns the
 * configuration in force into the next one and a reply, and the next one is applied with one
 * {@link ControlHost#update}. Unlike pen it checks every argument: a bad one, or a configuration the balancer
 * refuses, gets a one-line reply saying what was wrong and changes nothing.
 *
 * <p>Thread-safe: commands run one at a time, under the {@link Settings} monitor.
 */
public final class Interpreter {
    private static final int INCLUDE_DEPTH = 16;
    private static final int MAX_LINE = 4095;

    private final ControlHost host;
    private final Settings settings;
    private final Consumer<String> fileReplies;
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private int includeDepth;

    /**
     * @param fileReplies where replies to commands read from files go ({@code include} and HUP reload): pen prints
     *     them on its standard output
     */
    public Interpreter(ControlHost host, Settings settings, Consumer<String> fileReplies) {
        this.host = host;
        this.settings = settings;
        this.fileReplies = fileReplies;
        Stream.of(ModeCommands.all(), ServerCommands.all(host), AclCommands.all(settings),
                ConnectionCommands.all(host), LauncherCommands.all(host, settings, this),
                SocketCommands.all(host), TunableCommands.all(host, settings), TlsCommands.all(host))
                .flatMap(List::stream).forEach(c -> {
                    if (commands.putIfAbsent(c.name(), c) != null) {
                        throw new IllegalStateException("command registered twice: " + c.name());
                    }
                });
    }

    public Settings settings() {
        return settings;
    }

    /** The commands known, in the order their features registered them. */
    Collection<Command> commands() {
        return commands.values();
    }

    /**
     * Runs one command line (anything after its first CR or LF is ignored, as pen does) and returns the reply,
     * each line ending in a newline except where pen sends none; empty when pen replies nothing.
     */
    public String execute(String line) {
        String[] all = Words.split(firstLine(line));
        if (all.length == 0 || all[0].startsWith("#")) {
            return "";
        }
        Words words = Words.of(all);
        Command command = commands.get(words.name());
        if (command == null) {
            // pen ignores "no X" for any X it does not know, silently.
            return all[0].equals("no") ? "" : "do_cmd: ignoring command starting with '" + all[0] + "'\n";
        }
        synchronized (settings) {
            try {
                BalancerConfig before = host.config();
                Outcome outcome = command.handler().run(before, words);
                if (!outcome.config().equals(before)) {
                    host.update(before, outcome.config());
                }
                outcome.applied().run();
                return outcome.reply();
            } catch (BadArgument e) {
                return e.getMessage() + "\n";
            } catch (IllegalArgumentException | IllegalStateException e) {
                String m = String.valueOf(e.getMessage());
                return (m.startsWith(words.name() + ":") ? m : words.name() + ": " + m) + "\n";
            }
        }
    }

    /**
     * Runs every line of {@code file} (pen's -F, {@code include} and HUP reload); replies go to the file-reply sink.
     *
     * @throws IOException when the file cannot be read
     */
    public void executeFile(Path file) throws IOException {
        List<String> lines = PlainFiles.readCommands(file);
        synchronized (settings) {
            if (includeDepth >= INCLUDE_DEPTH) {
                throw new IOException("include nested deeper than " + INCLUDE_DEPTH + " files at " + file);
            }
            includeDepth++;
            try {
                for (String line : lines) {
                    String reply = execute(line);
                    if (!reply.isEmpty()) {
                        fileReplies.accept(reply);
                    }
                }
            } finally {
                includeDepth--;
            }
        }
    }

    private static String firstLine(String line) {
        String s = line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
        int cr = s.indexOf('\r');
        if (cr >= 0) {
            s = s.substring(0, cr);
        }
        int lf = s.indexOf('\n');
        return lf >= 0 ? s.substring(0, lf) : s;
    }
}
