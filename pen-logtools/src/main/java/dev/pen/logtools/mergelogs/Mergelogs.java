package dev.pen.logtools.mergelogs;

import dev.pen.api.cli.Getopt;
import dev.pen.api.cli.Version;
import dev.pen.logtools.lines.LineReader;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * pen's {@code mergelogs}: merges the access logs of the web servers behind pen into one log in time order, with
 * each line's client replaced by the real client found in pen's log (same server, same request, nearest time).
 *
 * <pre>mergelogs -p penlog [-c] [-d] [-j jitter] [-t seconds] [-r rejects] server1:logfile1 [server2:logfile2 ...]</pre>
 *
 * The output is line for line what pen's mergelogs prints with {@code TZ=UTC}, whatever the machine's zone.
 * Web log lines that cannot be read are counted and reported on stderr at the end (and kept in the {@code -r}
 * file); a progress line is shown on stderr when it is a terminal and the logs are large.
 */
public final class Mergelogs {

    static final String USAGE = """
        Usage: mergelogs -p penlog [-j jitter] \\
                server1:logfile1 [server2:logfile2 ...]

          -c                Do not use penlog cache
          -d                Debugging (repeat for more)
          -p penlog         Log file from pen
          -j jitter         Jitter in seconds [2]
          -r filename       Where to put rejects
          -t seconds        Timezone
          server:logfile    Web server address and name of logfile
        """;

    /** Input size from which a progress line is shown (when stderr is a terminal). */
    static final long PROGRESS_THRESHOLD = 64L << 20;

    private Mergelogs() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, stderrIsTerminal(), PROGRESS_THRESHOLD));
    }

    /** Runs mergelogs with {@code args}; returns the exit status. */
    public static int run(String[] args, OutputStream out, PrintStream err) {
        return run(args, out, err, false, PROGRESS_THRESHOLD);
    }

    static int run(String[] args, OutputStream out, PrintStream err, boolean terminal, long progressThreshold) {
        Getopt.Result cmd;
        try {
            cmd = Getopt.parse("p:j:t:r:cd", List.of(Getopt.HELP, Getopt.VERSION), args);
        } catch (Getopt.BadOption e) {
            err.println("mergelogs: " + e.getMessage());
            err.print(USAGE);
            return 1;
        }
        String penLog = null;
        String rejectsFile = null;
        long jitter = 600;
        long timeOffset = 0;
        boolean cache = true;
        int debug = 0;
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.ISO_8859_1);
        for (Getopt.Option o : cmd.options()) {
            if (o.isLong()) {
                stdout.print(o.name().equals("help") ? USAGE : Version.line("mergelogs") + "\n");
                stdout.flush();
                return 0;
            }
            switch (o.letter()) {
                case 'p' -> penLog = o.argument();
                case 'r' -> rejectsFile = o.argument();
                case 'c' -> cache = false;
                case 'd' -> debug++;
                case 'j', 't' -> {
                    long value;
                    try {
                        value = Long.parseLong(o.argument().trim());
                    } catch (NumberFormatException e) {
                        err.println("mergelogs: bad " + (o.letter() == 'j' ? "jitter" : "-t seconds") + " '"
                            + o.argument() + "' (expected a whole number of seconds)");
                        return 1;
                    }
                    if (o.letter() == 'j') {
                        jitter = value;
                    } else {
                        timeOffset = value;
                    }
                }
                default -> throw new IllegalStateException("option " + o.letter());
            }
        }
        if (cmd.operands().isEmpty()) {
            stdout.print(USAGE);
            stdout.flush();
            return 0;
        }
        if (penLog == null) {
            err.println("mergelogs: pfile null: no pen log given (expected -p penlog)");
            return 1;
        }
        List<WebLog> webLogs = new ArrayList<>();
        ClientFinder finder = null;
        Writer rejects = null;
        try {
            LineReader penReader;
            try {
                penReader = open(Path.of(penLog));
            } catch (IOException e) {
                err.println("mergelogs: pfp null: can't read pen log '" + penLog + "': " + reason(e));
                return 1;
            }
            if (cache) {
                finder = new PenLogCache(penReader, jitter, timeOffset);
            } else {
                penReader.close();
                finder = new PenLogRescan(Path.of(penLog), timeOffset);
            }
            for (String arg : cmd.operands()) {
                int colon = arg.indexOf(':');
                if (colon < 0) {
                    err.println("mergelogs: Bogus server '" + arg + "' (expected server:logfile)");
                    return 1;
                }
                String file = arg.substring(colon + 1);
                try {
                    webLogs.add(new WebLog(webLogs.size(), arg.substring(0, colon), file, open(Path.of(file))));
                } catch (IOException | RuntimeException e) {
                    err.println("mergelogs: Can't open logfile '" + file + "': " + reason(e));
                    return 1;
                }
            }
            if (rejectsFile != null) {
                try {
                    rejects = writer(Files.newOutputStream(Path.of(rejectsFile)));
                } catch (IOException e) {
                    err.println("mergelogs: can't write rejects to '" + rejectsFile + "': " + reason(e));
                    return 1;
                }
            }
            Progress progress = new Progress(err, webLogs, terminal, progressThreshold);
            Writer output = writer(out);
            merge(webLogs, finder, output, rejects, err, debug, progress);
            output.flush();
            if (rejects != null) {
                rejects.flush();
            }
            progress.finish();
            report(err, webLogs, finder, penLog, rejectsFile);
            return 0;
        } catch (IOException e) {
            err.println("mergelogs: " + reason(e));
            return 1;
        } finally {
            closeQuietly(finder);
            closeQuietly(rejects);
            for (WebLog w : webLogs) {
                closeQuietly(w.in);
            }
        }
    }

    private static void merge(List<WebLog> webLogs, ClientFinder finder, Writer output, Writer rejects,
                              PrintStream err, int debug, Progress progress) throws IOException {
        // The oldest current line goes first; on equal times the earlier command-line argument wins, as in pen.
        PriorityQueue<WebLog> oldest = new PriorityQueue<>((a, b) -> a.current.epochSecond() != b.current.epochSecond()
            ? Long.compare(a.current.epochSecond(), b.current.epochSecond())
            : Integer.compare(a.index, b.index));
        for (WebLog w : webLogs) {
            if (w.advance(rejects, err, debug)) {
                oldest.add(w);
            }
        }
        long lines = 0;
        while (!oldest.isEmpty()) {
            WebLog w = oldest.poll();
            WebLogLine line = w.current;
            String client = finder.bestClient(w.server, line.epochSecond(), line.request());
            if (debug > 0 && client.equals(w.server)) {
                err.println("mergelogs: no pen log entry for line " + w.lineNumber + " of '" + w.file + "'");
            }
            output.write(line.format(client));
            output.write('\n');
            if (w.advance(rejects, err, debug)) {
                oldest.add(w);
            }
            if ((++lines & 0xFFF) == 0) {
                progress.update(lines);
            }
        }
    }

    private static void report(PrintStream err, List<WebLog> webLogs, ClientFinder finder, String penLog,
                               String rejectsFile) {
        for (WebLog w : webLogs) {
            if (w.rejected > 0) {
                err.println("mergelogs: " + lines(w.rejected) + " of '" + w.file
                    + "' could not be parsed and " + (w.rejected == 1 ? "was" : "were") + " left out"
                    + (rejectsFile == null ? " (use -r FILE to keep them)" : " (written to '" + rejectsFile + "')"));
            }
        }
        long penRejected = finder.rejectedLines();
        if (penRejected > 0) {
            err.println("mergelogs: " + lines(penRejected) + " of pen log '" + penLog
                + "' could not be parsed and " + (penRejected == 1 ? "was" : "were") + " ignored");
        }
    }

    private static String lines(long n) {
        return n == 1 ? "1 line" : n + " lines";
    }

    private static LineReader open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException("Is a directory");
        }
        return new LineReader(Files.newInputStream(file));
    }

    private static Writer writer(OutputStream out) {
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.ISO_8859_1), 1 << 16);
    }

    /** A short reason in the words of C's {@code strerror}, which is what users of pen know. */
    static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Nothing useful to do about a failed close at exit.
            }
        }
    }

    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** One web server's log: its address as given, and the line about to be merged. */
    static final class WebLog {
        final int index;
        final String server;
        final String file;
        final LineReader in;
        WebLogLine current;
        long lineNumber;
        long rejected;

        WebLog(int index, String server, String file, LineReader in) {
            this.index = index;
            this.server = server;
            this.file = file;
            this.in = in;
        }

        /** Reads up to the next line that parses; false at the end of the log. */
        boolean advance(Writer rejects, PrintStream err, int debug) throws IOException {
            for (String raw = in.readLine(); raw != null; raw = in.readLine()) {
                lineNumber++;
                WebLogLine parsed = WebLogLine.parse(raw);
                if (parsed != null) {
                    current = parsed;
                    return true;
                }
                rejected++;
                if (debug > 0) {
                    err.println("mergelogs: can't parse line " + lineNumber + " of '" + file + "'");
                }
                if (rejects != null) {
                    rejects.write(raw);
                    rejects.write('\n');
                }
            }
            current = null;
            return false;
        }
    }

    /** The progress line on a terminal: percentage of the web logs read, and lines written. */
    static final class Progress {
        private final PrintStream err;
        private final List<WebLog> logs;
        private final long total;
        private final boolean enabled;
        private long nextUpdate;
        private boolean shown;

        Progress(PrintStream err, List<WebLog> logs, boolean terminal, long threshold) {
            this.err = err;
            this.logs = logs;
            long size = 0;
            for (WebLog w : logs) {
                try {
                    size += Files.size(Path.of(w.file));
                } catch (IOException e) {
                    // A pipe or special file has no size: no percentage for it.
                }
            }
            this.total = size;
            this.enabled = terminal && size >= threshold && size > 0;
        }

        void update(long lines) {
            if (!enabled) {
                return;
            }
            long now = System.nanoTime();
            if (shown && now - nextUpdate < 0) {
                return;
            }
            nextUpdate = now + 250_000_000L;
            long read = 0;
            for (WebLog w : logs) {
                read += w.in.bytesRead();
            }
            err.print("\rmergelogs: " + Math.min(100, read * 100 / total) + "% (" + lines + " lines)");
            err.flush();
            shown = true;
        }

        void finish() {
            if (shown) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
