package dev.pen.logtools.resolve;

import dev.pen.api.HostPort;
import dev.pen.api.cli.Getopt;
import dev.pen.api.cli.Version;
import dev.pen.logtools.lines.LineReader;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * {@code webresolve}: replaces the client address at the start of each access log line with its host name, like
 * Apache's {@code logresolve}, with many lookups in flight at once. Every other byte and the order of the lines
 * are kept; an address without a name stays as it is; each address is looked up once.
 *
 * <pre>webresolve [-c] [-s statfile] [--dns HOST[:PORT]]... [--parallel N] [--timeout SECONDS] [FILE...]</pre>
 */
public final class Webresolve {

    static final String USAGE = """
        Usage: %1$s [-c] [-s statfile] [--dns HOST[:PORT]]... [--parallel N] [--timeout SECONDS] %2$s

          -c                 accept a name only if it resolves back to the address
          -s statfile        write statistics (lookups, cache hits, failures) to statfile
          --dns HOST[:PORT]  DNS server to ask (repeatable) [the system's, after /etc/hosts]
          --parallel N       lookups in flight at once [64]
          --timeout SECONDS  how long to wait for each DNS answer [5]
          --hosts-file FILE  hosts file read before the system's DNS servers [/etc/hosts]
          --help             show this text

        Reads %3$s, writes it to standard output with each client address replaced by its host name.
        """;

    /** Lines read ahead of the oldest unresolved one, at most: bounds memory when a lookup is slow. */
    static final int MAX_PENDING_LINES = 100_000;
    /** Addresses whose lookups are remembered at most (the least recently seen are forgotten first). */
    static final int MAX_CACHE = 100_000;

    private Webresolve() {
    }

    public static void main(String[] args) {
        System.exit(run("webresolve", args, System.in, System.out, System.err));
    }

    /** Runs webresolve (or splitwr, which needs a FILE) with {@code args}; returns the exit status. */
    public static int run(String program, String[] args, InputStream in, OutputStream out, PrintStream err) {
        boolean needsFile = program.equals("splitwr");
        String usage = String.format(USAGE, program, needsFile ? "FILE..." : "[FILE...]",
            needsFile ? "the access log FILE..." : "the access log FILE... (standard input when none)");
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(program + ": " + e.getMessage());
            err.print(usage);
            return 1;
        }
        if (settings.help || settings.version) {
            PrintStream stdout = new PrintStream(out, true, StandardCharsets.ISO_8859_1);
            stdout.print(settings.help ? usage : Version.line(program) + "\n");
            stdout.flush();
            return 0;
        }
        if (needsFile && settings.files.isEmpty()) {
            err.println(program + ": no FILE given (expected " + program + " FILE > FILE.resolved)");
            err.print(usage);
            return 1;
        }
        for (String file : settings.files) {
            Path p = Path.of(file);
            if (!Files.isReadable(p) || Files.isDirectory(p)) {
                err.println(program + ": can't read '" + file + "': " + (Files.isDirectory(p) ? "Is a directory"
                    : Files.exists(p) ? "Permission denied" : "No such file or directory"));
                return 1;
            }
        }
        HostsFile hosts;
        try {
            hosts = settings.servers.isEmpty() ? HostsFile.read(settings.hostsFile) : HostsFile.EMPTY;
        } catch (IOException e) {
            err.println(program + ": can't read '" + settings.hostsFile + "': " + e.getMessage());
            return 1;
        }
        ResolveStats stats = new ResolveStats();
        try (ReverseResolver resolver = new ReverseResolver(settings.servers, hosts, settings.confirm,
            settings.timeoutMillis)) {
            BufferedOutputStream output = new BufferedOutputStream(out, 1 << 16);
            Pipeline pipeline = new Pipeline(resolver, settings.parallel, output, stats);
            if (settings.files.isEmpty()) {
                pipeline.resolve(new LineReader(in));
            } else {
                for (String file : settings.files) {
                    try (LineReader reader = new LineReader(Files.newInputStream(Path.of(file)))) {
                        pipeline.resolve(reader);
                    }
                }
            }
            pipeline.finish();
            output.flush();
        } catch (IOException e) {
            err.println(program + ": " + reason(e));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(program + ": interrupted");
            return 1;
        }
        if (settings.statistics != null) {
            try (PrintStream s = new PrintStream(Files.newOutputStream(Path.of(settings.statistics)), false,
                StandardCharsets.ISO_8859_1)) {
                stats.print(s, program);
            } catch (IOException e) {
                err.println(program + ": could not open statistics file '" + settings.statistics + "': "
                    + reason(e));
                return 1;
            }
        }
        return 0;
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * Lines in, lines out in the same order: a line waits in a queue until the lookup of its address is done, while
     * lines behind it are read and their lookups started, up to {@code parallel} lookups at once.
     */
    static final class Pipeline {
        private record Pending(String line, boolean terminated, int space, CompletableFuture<Lookup> lookup) {
        }

        private final ReverseResolver resolver;
        private final Semaphore inFlight;
        private final OutputStream out;
        private final ResolveStats stats;
        /** The lookups made, the least recently used dropped beyond {@link #MAX_CACHE} (counted as they go). */
        private final Map<InetAddress, CompletableFuture<Lookup>> cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, CompletableFuture<Lookup>> eldest) {
                if (size() <= MAX_CACHE) {
                    return false;
                }
                stats.count(eldest.getValue().getNow(Lookup.NO_NAME));
                return true;
            }
        };
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();

        Pipeline(ReverseResolver resolver, int parallel, OutputStream out, ResolveStats stats) {
            this.resolver = resolver;
            this.inFlight = new Semaphore(parallel);
            this.out = out;
            this.stats = stats;
        }

        void resolve(LineReader in) throws IOException, InterruptedException {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                stats.entries++;
                int space = line.indexOf(' ');
                InetAddress address = HostPort.ipLiteral(space < 0 ? line : line.substring(0, space)).orElse(null);
                CompletableFuture<Lookup> lookup = null;
                if (address == null) {
                    stats.withName++;
                } else {
                    lookup = cache.get(address);
                    if (lookup != null) {
                        stats.cacheHits++;
                    } else {
                        writeFinished();
                        inFlight.acquire();
                        stats.resolves++;
                        lookup = resolver.lookup(address);
                        lookup.whenComplete((r, e) -> inFlight.release());
                        cache.put(address, lookup);
                    }
                }
                queue.addLast(new Pending(line, in.lastLineTerminated(), space, lookup));
                if (queue.size() >= MAX_PENDING_LINES) {
                    write(queue.pollFirst());
                }
                writeFinished();
            }
        }

        void finish() throws IOException, InterruptedException {
            while (!queue.isEmpty()) {
                write(queue.pollFirst());
            }
            for (CompletableFuture<Lookup> lookup : cache.values()) {
                stats.count(lookup.getNow(Lookup.NO_NAME));
            }
            stats.cacheSize = cache.size();
        }

        private void writeFinished() throws IOException, InterruptedException {
            while (!queue.isEmpty() && (queue.peekFirst().lookup == null || queue.peekFirst().lookup.isDone())) {
                write(queue.pollFirst());
            }
        }

        private void write(Pending p) throws IOException, InterruptedException {
            String name = null;
            if (p.lookup != null) {
                try {
                    name = p.lookup.get().name();
                } catch (ExecutionException e) {
                    name = null;
                }
            }
            if (name == null) {
                out.write(p.line.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.write(name.getBytes(StandardCharsets.ISO_8859_1));
                if (p.space >= 0) {
                    out.write(p.line.substring(p.space).getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            if (p.terminated) {
                out.write('\n');
            }
        }
    }

    /** The command line of webresolve and splitwr. */
    static final class Settings {
        boolean confirm;
        boolean help;
        boolean version;
        String statistics;
        int parallel = 64;
        long timeoutMillis = 5000;
        Path hostsFile = Path.of("/etc/hosts");
        final List<InetSocketAddress> servers = new ArrayList<>();
        final List<String> files = new ArrayList<>();

        /** The long options; {@code -h} is {@code --help} too. */
        private static final List<Getopt.LongOption> LONG_OPTIONS = List.of(new Getopt.LongOption("dns", true),
            new Getopt.LongOption("parallel", true), new Getopt.LongOption("timeout", true),
            new Getopt.LongOption("hosts-file", true), Getopt.HELP, Getopt.VERSION);

        static Settings parse(String[] args) {
            Getopt.Result cmd;
            try {
                cmd = Getopt.parse("chs:", LONG_OPTIONS, args);
            } catch (Getopt.BadOption e) {
                throw new IllegalArgumentException(switch (e.problem()) {
                    case UNKNOWN -> "unknown option '" + e.option() + "'";
                    case MISSING_ARGUMENT -> "missing value for " + e.option();
                    case UNEXPECTED_ARGUMENT -> e.getMessage();
                });
            }
            Settings s = new Settings();
            for (Getopt.Option o : cmd.options()) {
                String value = o.argument();
                switch (o.name()) {
                    case "c" -> s.confirm = true;
                    case "h", "help" -> s.help = true;
                    case "version" -> s.version = true;
                    case "s" -> s.statistics = value;
                    case "hosts-file" -> s.hostsFile = Path.of(value);
                    case "dns" -> s.servers.add(server(value));
                    case "parallel" -> s.parallel = number("--parallel", value, 1, 65_536, "a number of lookups, 1..65536");
                    case "timeout" -> s.timeoutMillis = timeout(value);
                    default -> throw new IllegalStateException("option " + o.name() + " has no handler");
                }
            }
            s.files.addAll(cmd.operands());
            return s;
        }

        private static long timeout(String value) {
            try {
                double seconds = Double.parseDouble(value);
                if (!(seconds > 0 && seconds <= 3600)) {
                    throw new NumberFormatException();
                }
                return Math.max(1, Math.round(seconds * 1000));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad --timeout '" + value + "' (expected seconds, 0..3600)");
            }
        }

        private static int number(String name, String value, int min, int max, String expected) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("bad " + name + " '" + value + "' (expected " + expected + ")");
        }

        /** {@code HOST}, {@code HOST:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address; port 53 by default. */
        static InetSocketAddress server(String text) {
            InetAddress bare = HostPort.ipLiteral(text).orElse(null);
            if (bare != null) {
                return new InetSocketAddress(bare, 53);
            }
            HostPort split;
            try {
                split = HostPort.parse(text, null);
            } catch (HostPort.Malformed e) {
                throw new IllegalArgumentException("bad --dns '" + text + "' (expected HOST[:PORT])");
            }
            int port = split.port() == null ? 53
                : number("--dns port", split.port(), 1, 65535, "a port, 1..65535");
            try {
                return new InetSocketAddress(InetAddress.getByName(split.host()), port);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown --dns host '" + split.host() + "'");
            }
        }
    }
}
