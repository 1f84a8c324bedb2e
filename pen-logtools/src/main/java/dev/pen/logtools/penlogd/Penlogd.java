package dev.pen.logtools.penlogd;

import dev.pen.api.HostPort;
import dev.pen.api.cli.Getopt;
import dev.pen.api.cli.Version;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * pen's {@code penlogd}: receives pen's network log ({@code + client server request}) and the web servers' log
 * lines as UDP datagrams, and writes each web line with its client replaced by the real client pen saw.
 *
 * <pre>penlogd [-fd] [-b] [-j dir] [-l logfile] [-n N] [-p pidfile] [-u user] [address:]port</pre>
 *
 * Output is flushed at least once a second (every line with {@code -b}); HUP reopens the {@code -l} file, TERM
 * exits cleanly and removes the pid file. Without {@code -f}, {@code bin/penlogd} runs it in the background and
 * waits until it listens (it writes the file named by {@code PEN_READY_FILE}), so that a start error is still
 * reported with a non-zero exit status.
 */
public final class Penlogd implements AutoCloseable {

    static final String USAGE = """
        Usage:
          penlogd [options] port

          -d        debugging on
          -f        stay in foreground
          -j dir    run in chroot
          -l file   write log to file
          -b        unbuffer output (Testing Only!)
          -n N      number of pen log entries to cache [1000]
          -p file   write pid to file
          -u user   run as alternative user
        """;

    /** Names, in the environment of a penlogd started without {@code -f}, the file to write once it listens. */
    static final String READY_FILE = "PEN_READY_FILE";

    private static final DateTimeFormatter DEBUG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** What the command line asks for. */
    record Settings(int debug, boolean foreground, boolean unbuffered, Path logFile, int entries, Path pidFile,
                    InetSocketAddress listen) {
    }

    private final Settings settings;
    private final DatagramChannel channel;
    private final PenEntries penEntries;
    private final PrintStream debugOut;
    private final OutputStream stdout;
    private final Object outputLock = new Object();
    private final ScheduledExecutorService flusher;
    private OutputStream output;
    private volatile boolean closed;
    private volatile long discarded;

    private Penlogd(Settings settings, OutputStream stdout, PrintStream debugOut) throws IOException {
        this.settings = settings;
        this.stdout = stdout;
        this.debugOut = debugOut;
        this.penEntries = new PenEntries(settings.entries);
        this.output = openOutput();
        this.channel = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            channel.bind(settings.listen);
        } catch (IOException e) {
            channel.close();
            throw new IOException("Problem binding to " + settings.listen.getAddress().getHostAddress() + ":"
                + settings.listen.getPort() + ": " + e.getMessage(), e);
        }
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "penlogd-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleAtFixedRate(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Starts receiving on {@code settings.listen()} in the calling thread's place: call {@link #serve()} to run.
     *
     * @param stdout where the merged log goes without {@code -l}
     * @param debugOut where debug and bogus-line messages go (null: nowhere)
     */
    static Penlogd open(Settings settings, OutputStream stdout, PrintStream debugOut) throws IOException {
        return new Penlogd(settings, stdout, debugOut);
    }

    /** The address and port it receives on. */
    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Receives and writes until {@link #close()}. */
    void serve() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (!closed) {
            buffer.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                break;
            }
            buffer.flip();
            String datagram = new String(buffer.array(), 0, buffer.limit(), StandardCharsets.ISO_8859_1);
            if (!oneLine(datagram)) {
                discard("discarding a datagram of more than one line " + datagram.strip());
            } else if (datagram.startsWith("+")) {
                storePen(datagram);
            } else {
                storeWeb(datagram, from.getAddress());
            }
        }
    }

    /** Whether {@code datagram} is one line: a newline only at its end, and no carriage return before that. */
    static boolean oneLine(String datagram) {
        int newline = datagram.indexOf('\n');
        int cr = datagram.indexOf('\r');
        return (newline < 0 || newline == datagram.length() - 1) && (cr < 0 || cr >= datagram.length() - 2
                && datagram.endsWith("\r\n"));
    }

    /** Garbage is counted and dropped, never written and never fatal. */
    private void discard(String message) {
        discarded++;
        debug(message);
    }

    /** Datagrams dropped as garbage so far. */
    long discarded() {
        return discarded;
    }

    private void storePen(String datagram) {
        String[] fields = splitPenEntry(datagram);
        InetAddress server = fields == null ? null : HostPort.ipLiteral(fields[1]).orElse(null);
        // The client is written into the log in place of the web server's first field: an address, nothing else.
        if (server == null || HostPort.ipLiteral(fields[0]).isEmpty()) {
            discard("discarding bogus pen line " + datagram);
            return;
        }
        if (settings.debug > 1) {
            debug("store_pen(" + fields[0] + ", " + fields[1] + ", " + fields[2] + ")");
        }
        penEntries.add(new PenEntries.Entry(fields[0], server, fields[2]));
    }

    /** {@code + client server request}: client and server up to a space, the request up to the newline. */
    static String[] splitPenEntry(String datagram) {
        int i = 1;
        while (i < datagram.length() && Character.isWhitespace(datagram.charAt(i))) {
            i++;
        }
        int clientEnd = datagram.indexOf(' ', i);
        if (clientEnd <= i) {
            return null;
        }
        int serverEnd = datagram.indexOf(' ', clientEnd + 1);
        if (serverEnd <= clientEnd + 1) {
            return null;
        }
        int requestStart = serverEnd + 1;
        while (requestStart < datagram.length() && Character.isWhitespace(datagram.charAt(requestStart))
            && datagram.charAt(requestStart) != '\n') {
            requestStart++;
        }
        int newline = datagram.indexOf('\n', requestStart);
        int requestEnd = newline < 0 ? datagram.length() : newline;
        if (requestEnd <= requestStart) {
            return null;
        }
        return new String[] {datagram.substring(i, clientEnd), datagram.substring(clientEnd + 1, serverEnd),
            datagram.substring(requestStart, requestEnd)};
    }

    private void storeWeb(String datagram, InetAddress source) throws IOException {
        int open = datagram.indexOf('"');
        int close = open < 0 ? -1 : datagram.indexOf('"', open + 1);
        int space = datagram.indexOf(' ');
        if (close < 0 || space < 0 || space > open) {
            discard("bogus web line " + datagram);
            return;
        }
        PenEntries.Entry entry = penEntries.find(source, datagram.substring(open + 1, close));
        String line = entry == null ? datagram : entry.client() + datagram.substring(space);
        if (!line.endsWith("\n")) {
            line += "\n";
        }
        synchronized (outputLock) {
            try {
                output.write(line.getBytes(StandardCharsets.ISO_8859_1));
                if (settings.unbuffered) {
                    output.flush();
                }
            } catch (IOException e) {
                // A full disk, say: this line is lost, the daemon carries on.
                debug("Can't write the log: " + e.getMessage());
            }
        }
    }

    /** HUP: the {@code -l} file is closed and opened again (after it was moved away); stdout stays. */
    void reopen() {
        if (settings.logFile == null) {
            return;
        }
        synchronized (outputLock) {
            OutputStream next;
            try {
                next = openOutput();
            } catch (IOException e) {
                // The old file stays open and in use: nothing is lost, and the next HUP tries again.
                debug("Can't open " + settings.logFile + ": " + e.getMessage());
                return;
            }
            try {
                output.close();
            } catch (IOException e) {
                debug("Can't close the old log: " + e.getMessage());
            }
            output = next;
        }
    }

    void flush() {
        synchronized (outputLock) {
            try {
                output.flush();
            } catch (IOException e) {
                debug("Can't write the log: " + e.getMessage());
            }
        }
    }

    private OutputStream openOutput() throws IOException {
        if (settings.logFile == null) {
            return new BufferedOutputStream(stdout, 1 << 16) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        return new BufferedOutputStream(Files.newOutputStream(settings.logFile, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
    }

    private void debug(String message) {
        if (debugOut != null) {
            debugOut.println(LocalDateTime.now().format(DEBUG_TIME) + ": " + message);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
        flusher.shutdownNow();
        synchronized (outputLock) {
            output.close();
        }
        if (settings.pidFile != null) {
            Files.deleteIfExists(settings.pidFile);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs penlogd with {@code args} until TERM; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings;
        try {
            settings = parse(args, out, err);
        } catch (IllegalArgumentException e) {
            err.println("penlogd: " + e.getMessage());
            if (e instanceof UsageError) {
                err.print(USAGE);
            }
            return 1;
        }
        if (settings == null) {
            return 0;
        }
        // Without -f, bin/penlogd has started this JVM in a session of its own (pen_background) and waits for the
        // ready file: output without -l is discarded, as pen's penlogd does once it has forked.
        boolean background = !settings.foreground;
        Penlogd daemon;
        try {
            daemon = open(settings, background ? OutputStream.nullOutputStream() : out, background ? null : err);
            if (settings.pidFile != null) {
                Files.writeString(settings.pidFile, Long.toString(ProcessHandle.current().pid()));
            }
        } catch (IOException e) {
            err.println("penlogd: " + e.getMessage());
            return 1;
        }
        installSignals(daemon);
        if (background) {
            ready(System.getenv(READY_FILE), err);
        }
        try {
            daemon.serve();
        } catch (IOException e) {
            err.println("penlogd: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** Tells the script waiting in the foreground that penlogd listens: the ready file appears whole, at once. */
    private static void ready(String readyFile, PrintStream err) {
        if (readyFile == null) {
            return;
        }
        Path target = Path.of(readyFile);
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(temp, "ready\n");
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            err.println("penlogd: can't write ready file " + readyFile + ": " + e.getMessage());
        }
    }

    private static void installSignals(Penlogd daemon) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                daemon.close();
            } catch (IOException e) {
                // Exiting anyway; the pid file may stay behind.
            }
        }, "penlogd-exit"));
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> daemon.reopen());
        } catch (IllegalArgumentException e) {
            // No HUP on this platform: the log simply cannot be reopened.
        }
    }

    /** The settings, or null after printing the usage (no port given, or --help) or the version. */
    static Settings parse(String[] args, PrintStream out, PrintStream err) {
        Getopt.Result cmd;
        try {
            cmd = Getopt.parse("j:l:n:p:u:dfb", List.of(Getopt.HELP, Getopt.VERSION), args);
        } catch (Getopt.BadOption e) {
            throw new UsageError(e.getMessage());
        }
        int debug = 0;
        boolean foreground = false;
        boolean unbuffered = false;
        Path logFile = null;
        Path pidFile = null;
        int entries = 1000;
        for (Getopt.Option o : cmd.options()) {
            if (o.isLong()) {
                out.print(o.name().equals("help") ? USAGE : Version.line("penlogd") + "\n");
                out.flush();
                return null;
            }
            switch (o.letter()) {
                case 'd' -> debug++;
                case 'f' -> foreground = true;
                case 'b' -> unbuffered = true;
                case 'l' -> logFile = Path.of(o.argument());
                case 'p' -> pidFile = Path.of(o.argument());
                case 'n' -> {
                    try {
                        entries = Integer.parseInt(o.argument());
                    } catch (NumberFormatException e) {
                        entries = 0;
                    }
                    if (entries < 1) {
                        throw new IllegalArgumentException("bad -n '" + o.argument()
                            + "' (expected a number of entries, 1 or more)");
                    }
                }
                case 'j' -> throw new IllegalArgumentException("-j " + o.argument()
                    + ": the JVM cannot chroot; run penlogd under chroot(8) or in a container instead");
                case 'u' -> throw new IllegalArgumentException("-u " + o.argument()
                    + ": the JVM cannot switch users; start penlogd as that user instead"
                    + " (e.g. setpriv --reuid=" + o.argument() + " --init-groups penlogd ...)");
                default -> throw new IllegalStateException("option " + o.letter());
            }
        }
        if (cmd.operands().isEmpty()) {
            out.print(USAGE);
            out.flush();
            return null;
        }
        return new Settings(debug, foreground, unbuffered, logFile, entries, pidFile, listen(cmd.operands().get(0)));
    }

    /** A bad option: reported with the usage. */
    static final class UsageError extends IllegalArgumentException {
        UsageError(String message) {
            super(message);
        }
    }

    /** {@code port} (every IPv4 address, as pen) or {@code address:port}. */
    static InetSocketAddress listen(String text) {
        HostPort split = HostPort.parse(text);
        String host = split.host() == null ? "0.0.0.0" : split.host();
        int port;
        try {
            port = Integer.parseInt(split.port());
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port '" + text + "' (expected [address:]port, port 1..65535)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown address '" + host + "' in '" + text + "'");
        }
    }
}
