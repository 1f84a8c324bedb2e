package dev.pen.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loopback traffic of a training run ({@link CdsTraining}): an echo backend, and clients that send small
 * messages through the balancer for a given time, some over connections held open and some over a new connection
 * each.
 */
final class Traffic {
    private static final int HELD = 8;
    private static final int CONNECTING = 2;
    private static final byte[] MESSAGE = new byte[100];

    private Traffic() {
    }

    /** Echoes every connection accepted on {@code server}, each on a thread of its own, until it is closed. */
    static void echo(ServerSocket server) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> echoOne(s), "cds-echo");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void echoOne(Socket s) {
        try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException gone) {
            // the client went: nothing to answer
        }
    }

    /**
     * Sends messages through the balancer listening on {@code port} for {@code seconds} and returns how many came
     * back whole; returns 0 at once for 0 seconds.
     */
    static long run(int port, int seconds) throws InterruptedException {
        if (seconds <= 0) {
            return 0;
        }
        AtomicLong answered = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < HELD + CONNECTING; i++) {
            boolean held = i < HELD;
            Thread t = new Thread(() -> client(port, end, held, answered), "cds-client");
            t.setDaemon(true);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join(TimeUnit.SECONDS.toMillis(seconds) + 5_000);
        }
        return answered.get();
    }

    private static void client(int port, long end, boolean held, AtomicLong answered) {
        byte[] reply = new byte[MESSAGE.length];
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setTcpNoDelay(true);
                do {
                    exchange(s.getOutputStream(), s.getInputStream(), reply);
                    answered.incrementAndGet();
                } while (held && System.nanoTime() < end);
                s.shutdownOutput();
                s.getInputStream().transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                return; // the balancer is gone; the training ends
            }
        }
    }

    private static void exchange(OutputStream out, InputStream in, byte[] reply) throws IOException {
        out.write(MESSAGE);
        int got = 0;
        while (got < reply.length) {
            int n = in.read(reply, got, reply.length - got);
            if (n < 0) {
                throw new IOException("the balancer closed the connection");
            }
            got += n;
        }
    }
}
