package dev.pen.launcher.log;

import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import dev.pen.api.PenLogLine;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * pen's log ({@code -l}): for every read from a client, a line {@code client_ip unix_time server_ip text} in a file,
 * or a datagram {@code + client_ip server_ip text} to a network collector (penlogd).
 *
 * <p>The relay only queues an event (no formatting, no I/O on its thread); a thread of this class writes them.
 * Lines reach the file at least once a second (whenever the queue runs dry, and at least every second under
 * constant load), and {@link #reopen()} (HUP), {@link #flush()} and {@link #close()} write everything queued before
 * they return, so that rotation ({@code mv pen.log pen.log.1; kill -HUP}) and a clean stop lose no line.
 *
 * <p>It is given to the balancer as two listeners ({@link #listeners()}), one for the file (and the echo at
 * {@code -d -d -d}), taking pen's 100 bytes of each read, and one for the network log, taking up to pen's
 * datagram of 1 KiB. Each wants client data only while its output is open, so with logging off the relay copies
 * nothing.
 */
public final class PenLog implements AutoCloseable {
    private static final int QUEUE_LIMIT = 100_000;
    private static final long FLUSH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long a change of log (HUP, {@code log}, USR1's flush) waits for the writer. */
    private static final long CHANGE_WAIT_MILLIS = 5_000;
    /**
     * How long {@link #close()} waits for a writer that makes no progress: a stop never waits on a log whose output
     * stands still, and one that is only slow gets {@link #CLOSE_WAIT_MAX_MILLIS}.
     */
    static final long CLOSE_WAIT_MILLIS = 250;
    static final long CLOSE_WAIT_MAX_MILLIS = 5_000;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    /** Grows with every line and flush the writer gets done: what {@link #close()} watches. */
    private final AtomicLong progress = new AtomicLong();
    /** Lines handed to the file's buffer since its last successful flush. */
    private final AtomicLong unflushed = new AtomicLong();
    private final Diagnostics diagnostics;
    private final IntSupplier debugLevel;
    private volatile boolean fileOpen;
    private volatile boolean networkOpen;
    /** The target as the writer last opened it, for messages from other threads. */
    private volatile String shownTarget;
    // While a balancer starts: what the listeners answer to its one question whether they may ever want data.
    private volatile Boolean startAnswer;
    private final ConnectionLog fileListener = new FileListener();
    private final ConnectionLog networkListener = new NetworkListener();
    // Owned by the writer thread.
    private final LogOutputs outputs = new LogOutputs();

    /** One read from a client, as the relay reported it, for the file (and echo) or for the network log. */
    private record Event(SocketAddress client, SocketAddress server, long time, byte[] text, boolean network) {
    }

    /** Work for the writer thread, done in queue order after the events before it. */
    private record Task(Runnable action, CompletableFuture<Void> done) {
    }

    /**
     * @param diagnostics where pen echoes log lines at debug level 3 and above, and where write errors are told
     */
    public PenLog(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.debugLevel = diagnostics::level;
        this.writer = new Thread(this::drain, "pen-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** The listeners to give the balancer: the file log's and the network log's. */
    public List<ConnectionLog> listeners() {
        return List.of(fileListener, networkListener);
    }

    /**
     * Starts a balancer with {@code start}, during which the listeners tell it whether they may ever want client
     * data ({@code mayLog}: a log is set, or one can be set later by a command or a HUP); a balancer asks that only
     * when it starts, and afterwards asks before each read, when the answer is whether a log is open now.
     */
    public <T> T starting(boolean mayLog, Supplier<T> start) {
        startAnswer = mayLog;
        try {
            return start.get();
        } finally {
            startAnswer = null;
        }
    }

    /** The file log's listener: pen's 100 bytes; also serves the echo of log lines at debug level 3. */
    private final class FileListener implements ConnectionLog {
        @Override
        public boolean wantsClientData() {
            Boolean atStart = startAnswer;
            if (atStart != null) {
                return atStart;
            }
            return fileOpen || debugLevel.getAsInt() >= 3;
        }

        @Override
        public void clientData(ConnectionInfo connection, byte[] firstLine) {
            if (fileOpen || debugLevel.getAsInt() >= 3) {
                offer(connection, firstLine, false);
            }
        }
    }

    /** The network log's listener: up to pen's datagram size. */
    private final class NetworkListener implements ConnectionLog {
        @Override
        public boolean wantsClientData() {
            Boolean atStart = startAnswer;
            return atStart != null ? atStart : networkOpen;
        }

        @Override
        public int clientDataLimit() {
            return LogOutputs.DATAGRAM_MAX;
        }

        @Override
        public void clientData(ConnectionInfo connection, byte[] firstLine) {
            if (networkOpen) {
                offer(connection, firstLine, true);
            }
        }
    }

    private void offer(ConnectionInfo connection, byte[] firstLine, boolean toNetwork) {
        Event e = new Event(connection.clientAddress(), connection.backendAddress(),
                System.currentTimeMillis() / 1000, firstLine, toNetwork);
        if (!queue.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    /**
     * Logs to {@code value} from now on (pen's -l or {@code log}: a file, or host:port of a collector), or stops
     * with null. Waits until the change is done.
     *
     * @throws IllegalArgumentException naming the file or address when it cannot be opened; the old log stays
     * @throws IllegalStateException when the writer is stuck on the old output (a disk or pipe that stands still)
     */
    public void setTarget(String value) {
        change(() -> open(value));
    }

    /**
     * Closes and reopens the log file (HUP), writing everything queued first.
     *
     * @throws IllegalArgumentException naming the file when it cannot be opened again
     * @throws IllegalStateException when the writer is stuck on the old output
     */
    public void reopen() {
        change(() -> {
            if (outputs.target() != null && outputs.hasFile()) {
                open(outputs.target());
            }
        });
    }

    /** Writes everything queued so far to the file; gives up after a few seconds if its output stands still. */
    public void flush() {
        change(() -> {
        });
    }

    /**
     * Writes what is queued and closes the log, waiting as long as the writer gets something done every
     * {@link #CLOSE_WAIT_MILLIS}: when the output stands still (a full pipe, a hung disk), the lines not written are
     * counted in one diagnostic and the writer is left behind, so a stop is never held up by its log.
     */
    @Override
    public void close() {
        // Nothing more from the relay from here on.
        fileOpen = false;
        networkOpen = false;
        boolean done;
        try {
            done = runWhileProgressing(this::closeOutputs);
        } catch (RuntimeException e) {
            diagnostics.debug(0, "log " + shownTarget + ": " + e.getMessage());
            done = true;
        }
        if (!done) {
            long lost = dropped.getAndSet(0) + unflushed.get();
            for (Object o : queue) {
                if (o instanceof Event) {
                    lost++;
                }
            }
            diagnostics.debug(0, "log " + shownTarget + ": " + lost + " lines not written (its output stood still "
                    + "at the stop)");
        }
        writer.interrupt();
    }

    private void change(Runnable action) {
        if (!run(action, CHANGE_WAIT_MILLIS)) {
            throw new IllegalStateException("the log writer did not answer within " + CHANGE_WAIT_MILLIS / 1000
                    + " s (its output " + shownTarget + " stands still)");
        }
    }

    /**
     * Runs {@code action} on the writer after what is queued, waiting as long as the writer gets something done
     * every {@link #CLOSE_WAIT_MILLIS} (at most {@link #CLOSE_WAIT_MAX_MILLIS}); false when it stood still.
     */
    private boolean runWhileProgressing(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MAX_MILLIS);
        try {
            if (!queue.offer(new Task(action, done), CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return false;
            }
            long seen = progress.get();
            while (System.nanoTime() < end) {
                try {
                    done.get(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    return true;
                } catch (TimeoutException e) {
                    long now = progress.get();
                    if (now == seen) {
                        return false;
                    }
                    seen = now;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs {@code action} on the writer after what is queued; false when that did not happen within the time. */
    private boolean run(Runnable action, long waitMillis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        try {
            if (!queue.offer(new Task(action, done), waitMillis, TimeUnit.MILLISECONDS)) {
                return false;
            }
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            return false;
        }
    }

    private void open(String value) {
        if (value == null) {
            closeOutputs();
            return;
        }
        String old = outputs.target();
        try {
            outputs.open(value);
        } catch (IOException e) {
            diagnostics.debug(0, "closing log " + old + ": " + e.getMessage());
        }
        unflushed.set(0);
        shownTarget = value;
        fileOpen = outputs.hasFile();
        networkOpen = outputs.hasNetwork();
    }

    private void closeOutputs() {
        String old = outputs.target();
        try {
            outputs.close();
        } catch (IOException e) {
            diagnostics.debug(0, "closing log " + old + ": " + e.getMessage());
        }
        unflushed.set(0);
        fileOpen = false;
        networkOpen = false;
    }

    private void drain() {
        List<Object> batch = new ArrayList<>();
        long lastFlush = System.nanoTime();
        while (true) {
            try {
                Object first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 4096);
                }
            } catch (InterruptedException e) {
                return;
            }
            for (Object o : batch) {
                if (o instanceof Event e) {
                    write(e);
                } else if (o instanceof Task t) {
                    flushFile();
                    try {
                        t.action().run();
                        t.done().complete(null);
                    } catch (RuntimeException ex) {
                        t.done().completeExceptionally(ex);
                    }
                }
            }
            batch.clear();
            long now = System.nanoTime();
            if (queue.isEmpty() || now - lastFlush >= FLUSH_NANOS) {
                flushFile();
                lastFlush = now;
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                diagnostics.debug(0, "log: " + lost + " lines dropped (the log could not keep up)");
            }
        }
    }

    private void write(Event e) {
        String client = e.client() == null ? "" : AddressText.of(e.client());
        String server = e.server() == null ? "" : AddressText.of(e.server());
        try {
            if (e.network()) {
                outputs.send(client, server, e.text());
                return;
            }
            PenLogLine line = new PenLogLine(client, e.time(), server, PenLogLine.text(e.text()));
            if (debugLevel.getAsInt() >= 3) {
                diagnostics.debug(3, line.format());
            }
            if (outputs.write(line.toBytes())) {
                unflushed.incrementAndGet();
                progress.incrementAndGet();
            }
        } catch (IOException ex) {
            diagnostics.debug(0, "log " + outputs.target() + ": " + ex.getMessage());
        }
    }

    private void flushFile() {
        try {
            if (outputs.flush()) {
                unflushed.set(0);
                progress.incrementAndGet();
            }
        } catch (IOException e) {
            diagnostics.debug(0, "log " + outputs.target() + ": " + e.getMessage());
        }
    }
}
