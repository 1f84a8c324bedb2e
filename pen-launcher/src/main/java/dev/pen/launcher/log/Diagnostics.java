package dev.pen.launcher.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * pen's diagnostic lines ({@code debug()}): {@code YYYY-MM-DD HH:MM:SS: text} in local time, on stderr in the
 * foreground; in the background to syslog (ident {@code pen}, facility user, through the standard {@code logger}
 * tool) when the machine has one ({@code /dev/log}), else appended to the file named by {@code PEN_DEBUG_FILE}
 * (by default {@code pen-debug.log} in {@code $XDG_RUNTIME_DIR} or the working directory).
 *
 * <p>Lines are written by a thread of their own, so a caller on the relay's event loop never waits for a slow
 * terminal, disk or syslog; {@link #flush()} waits until everything queued is out.
 */
public final class Diagnostics implements AutoCloseable {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int QUEUE_LIMIT = 10_000;
    private static final Object STOP = new Object();
    /** How long {@link #flush()} waits for the writer. */
    private static final long FLUSH_WAIT_MILLIS = 5_000;
    /** How long {@link #close()} waits: a stop never waits on a terminal, disk or syslog that stands still. */
    static final long CLOSE_WAIT_MILLIS = 250;
    /** The longest line {@link #asStream()} hands on whole. */
    static final int STREAM_LINE_MAX = 16_384;

    private final IntSupplier level;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private volatile DiagnosticSink sink;

    /**
     * @param level the current debug level (-d count, or the {@code debug} command), read for every line
     * @param stderr where foreground lines go
     */
    public Diagnostics(IntSupplier level, PrintStream stderr) {
        // The first stamp loads the time-zone rules from a file: done now, so that a line written later, when no
        // descriptor is free (the control port's "can't accept now"), needs none.
        LocalDateTime.now().format(STAMP);
        this.level = level;
        this.sink = new DiagnosticSink.ToStream(stderr);
        this.writer = new Thread(this::drain, "pen-diagnostics");
        writer.setDaemon(true);
        writer.start();
    }

    /** The current debug level. */
    public int level() {
        return level.getAsInt();
    }

    /** A line shown when the debug level is at least {@code minLevel} (0: always, as many of pen's are). */
    public void debug(int minLevel, String text) {
        if (minLevel > level.getAsInt()) {
            return;
        }
        // A full queue means the sink is stuck; dropping a diagnostic (counted, and told once the sink moves
        // again) beats stalling the caller.
        if (!queue.offer(LocalDateTime.now().format(STAMP) + ": " + text)) {
            dropped.incrementAndGet();
        }
    }

    /**
     * A line as it is, without pen's stamp, whatever the level: pen's traffic dumps, and in the background what
     * the JVM's libraries print on stderr (see {@link #asStream()}).
     */
    public void raw(String text) {
        if (!queue.offer(new Raw(text))) {
            dropped.incrementAndGet();
        }
    }

    /** A line queued by {@link #raw}. */
    private record Raw(String text) {
    }

    /**
     * A stream whose lines become {@link #raw} lines, to stand for stderr once pen is in the background: warnings
     * of Netty and the balancer, stack traces of uncaught exceptions. A line is cut at {@value #STREAM_LINE_MAX}
     * bytes.
     */
    public PrintStream asStream() {
        return new PrintStream(new LineStream(), true, StandardCharsets.UTF_8);
    }

    /** Bytes up to each newline, handed on as one line. */
    private final class LineStream extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
                return;
            }
            line.write(b);
            if (line.size() >= STREAM_LINE_MAX) {
                flushLine();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void flushLine() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            raw(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        }
    }

    /** Diagnostics lines dropped so far because the output stood still, not yet told. */
    long dropped() {
        return dropped.get();
    }

    /**
     * From now on, write to syslog where there is one, else to the debug file (pen in the background): the file
     * named by {@code PEN_DEBUG_FILE}, else {@link #defaultFile}.
     *
     * @return a description of where the lines go, for the documentation's sake and for tests
     * @throws IllegalArgumentException naming the debug file when it cannot be opened; the lines keep going where
     *     they went
     */
    public String toBackground() {
        if (Files.exists(Path.of("/dev/log")) && onPath("logger")) {
            try {
                swap(new DiagnosticSink.ToLogger());
                return "syslog";
            } catch (IOException e) {
                // No logger to run after all: the file, then.
            }
        }
        String named = System.getenv("PEN_DEBUG_FILE");
        Path file = named != null && !named.isEmpty() ? Path.of(named) : defaultFile(System.getenv("XDG_RUNTIME_DIR"));
        toFile(file);
        return file.toString();
    }

    /**
     * The debug file when {@code PEN_DEBUG_FILE} is not set: {@code pen-debug.log} in {@code $XDG_RUNTIME_DIR} (the
     * user's own private directory) when that is a writable directory, else in the working directory. Never a
     * shared directory such as /tmp, where another user could put a link or a file there first.
     */
    static Path defaultFile(String runtimeDir) {
        if (runtimeDir != null && !runtimeDir.isEmpty()) {
            Path dir = Path.of(runtimeDir);
            if (Files.isDirectory(dir) && Files.isWritable(dir)) {
                return dir.resolve("pen-debug.log");
            }
        }
        return Path.of("pen-debug.log").toAbsolutePath();
    }

    /**
     * From now on, append to {@code file}, opened once (see {@link #reopen()}); a symbolic link or anything but a
     * regular file is refused, and a new file is made readable by its owner only.
     *
     * @throws IllegalArgumentException naming the file and why it cannot be opened
     */
    void toFile(Path file) {
        swap(DiagnosticSink.ToFile.open(file));
    }

    /**
     * Closes and opens the debug file again (HUP, after it was rotated); does nothing when the lines go elsewhere.
     *
     * @throws IllegalArgumentException naming the file when it cannot be opened again; the old one stays
     */
    public void reopen() {
        if (sink instanceof DiagnosticSink.ToFile f) {
            swap(DiagnosticSink.ToFile.open(f.file));
        }
    }

    /** From now on, write to syslog through {@code command} (a {@code logger} reading lines on its input). */
    void toSyslog(List<String> command) throws IOException {
        swap(new DiagnosticSink.ToLogger(command));
    }

    private void swap(DiagnosticSink next) {
        CountDownLatch done = new CountDownLatch(1);
        Runnable change = () -> {
            DiagnosticSink old = sink;
            sink = next;
            try {
                old.flush();
            } catch (IOException e) {
                // The old sink is going away; nothing left to tell it.
            }
            old.close();
            done.countDown();
        };
        enqueue(change);
        await(done);
    }

    /** Waits (at most a few seconds) until every queued line is written. */
    public void flush() {
        flush(FLUSH_WAIT_MILLIS);
    }

    private boolean flush(long waitMillis) {
        CountDownLatch done = new CountDownLatch(1);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        return enqueue((Runnable) done::countDown, waitMillis)
                && await(done, Math.max(0, deadline - System.nanoTime()));
    }

    private boolean enqueue(Object o, long waitMillis) {
        try {
            return queue.offer(o, waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void enqueue(Object o) {
        enqueue(o, FLUSH_WAIT_MILLIS);
    }

    private static void await(CountDownLatch done) {
        await(done, TimeUnit.MILLISECONDS.toNanos(FLUSH_WAIT_MILLIS));
    }

    private static boolean await(CountDownLatch done, long nanos) {
        try {
            return done.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Writes what is queued and closes the output, waiting at most {@link #CLOSE_WAIT_MILLIS}; an output that
     * stands still (a {@code logger} that reads nothing, a hung disk) is ended at once and what it held is lost.
     */
    @Override
    public void close() {
        if (!flush(CLOSE_WAIT_MILLIS)) {
            sink.abort();
            return;
        }
        queue.offer(STOP);
    }

    private void drain() {
        List<Object> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch);
            for (Object o : batch) {
                if (o == STOP) {
                    sink.close();
                    return;
                }
                if (o instanceof Runnable r) {
                    flushQuietly();
                    r.run();
                } else if (o instanceof Raw r) {
                    try {
                        sink.writeRaw(r.text());
                    } catch (IOException e) {
                        // Nowhere left to report a failing diagnostics sink.
                    }
                } else {
                    try {
                        sink.write((String) o);
                    } catch (IOException e) {
                        // Nowhere left to report a failing diagnostics sink.
                    }
                }
            }
            batch.clear();
            flushQuietly();
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                try {
                    sink.write(LocalDateTime.now().format(STAMP) + ": diagnostics: " + lost
                            + " lines dropped (their output stood still)");
                    flushQuietly();
                } catch (IOException e) {
                    // Nowhere left to report a failing diagnostics sink.
                }
            }
        }
    }

    private void flushQuietly() {
        try {
            sink.flush();
        } catch (IOException e) {
            // As above: diagnostics about diagnostics have nowhere to go.
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
