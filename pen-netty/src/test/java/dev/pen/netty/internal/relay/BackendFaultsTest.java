package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Modes;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Nginx;
import dev.pen.netty.testing.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that misbehaves (resets mid-transfer, accepts and never answers, answers half and stalls, is killed)
 * harms only the connections it holds: the other servers' clients carry on, and the balancer keeps serving.
 */
class BackendFaultsTest {
    private static final Logger LOG = LoggerFactory.getLogger(BackendFaultsTest.class);
    private static final int CLIENTS = 20;
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    /** How a {@link FaultyServer} treats each connection it accepts. */
    enum Fault {
        /** Reads the request's first byte, greets, sends 64 KiB more, then closes with SO_LINGER 0. */
        RESET_MID_TRANSFER,
        /** Greets and closes with SO_LINGER 0 at once, often before the balancer's connect is done. */
        RESET_AT_ONCE,
        /** Accepts and never sends nor reads a byte. */
        NEVER_ANSWERS,
        /** Sends half of its greeting line, then nothing more and reads nothing. */
        ANSWERS_HALF_THEN_STALLS
    }

    /** A blocking server with a thread per connection that misbehaves as its {@link Fault} says. */
    private static final class FaultyServer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        FaultyServer(Fault fault) throws IOException {
            server = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"));
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.add(s);
                        misbehave(fault, s);
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "faulty-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void misbehave(Fault fault, Socket s) throws IOException {
            switch (fault) {
                case RESET_MID_TRANSFER, RESET_AT_ONCE -> {
                    if (fault == Fault.RESET_MID_TRANSFER) {
                        s.getInputStream().read();
                    }
                    OutputStream out = s.getOutputStream();
                    out.write("faulty\n".getBytes(StandardCharsets.US_ASCII));
                    if (fault == Fault.RESET_MID_TRANSFER) {
                        out.write(new byte[64 * 1024]);
                    }
                    s.setSoLinger(true, 0);
                    s.close();
                }
                case NEVER_ANSWERS -> {
                    // holds the connection open and silent
                }
                case ANSWERS_HALF_THEN_STALLS -> s.getOutputStream().write("fau".getBytes(StandardCharsets.US_ASCII));
                default -> throw new IllegalStateException(fault.toString());
            }
        }

        String spec() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        int accepted() {
            return accepted.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /** The first line a client reads within {@code timeout}: the server's name, or what it got instead. */
    private static String firstLine(Socket s, Duration timeout) {
        try {
            s.setSoTimeout((int) timeout.toMillis());
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString();
        } catch (java.net.SocketTimeoutException e) {
            return "(no answer)";
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static boolean echoes(Socket s) throws IOException {
        s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
        return "ping".equals(firstLine(s, Duration.ofSeconds(5)));
    }

    // A reset at once fails the connect and its clients go to the other server (resetByTheServerEndsTheClientPromptly).
    @ParameterizedTest
    @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "RESET_AT_ONCE")
    void faultyServerHarmsOnlyItsOwnConnections(Fault fault) throws Exception {
        NamedBackend good = keep(new NamedBackend("good"));
        FaultyServer faulty = keep(new FaultyServer(fault));
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                .modes(Modes.DEFAULT.withRoundRobin(true)).idleTimeout(Duration.ofSeconds(2))
                .backend(good.spec()).backend(faulty.spec()).build()));
        int port = Clients.port(lb.localAddress());
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Socket s = keep(Clients.connect("127.0.0.2", port));
            s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            clients.add(s);
        }
        List<Socket> served = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Socket s : clients) {
            String line = firstLine(s, Duration.ofMillis(100));
            if (line.equals("good") && firstLine(s, Duration.ofSeconds(5)).equals("hello")) {
                served.add(s);
            } else {
                others.add(line);
            }
        }
        assertThat(served).as("round robin: half the clients on the good server").hasSize(CLIENTS / 2);
        assertThat(others).as("what the faulty server's clients got").hasSize(CLIENTS / 2)
                .allSatisfy(line -> assertThat(line).isNotEqualTo("good"));
        assertThat(faulty.accepted()).isEqualTo(CLIENTS / 2);
        for (Socket s : served) {
            assertThat(echoes(s)).as("a good server's client, after the faults").isTrue();
        }
        // The idle timeout frees what the faulty server holds; the good server's clients, still talking, stay.
        Await.until("only the good server's connections left", Duration.ofSeconds(10), () -> {
            try {
                for (Socket s : served) {
                    if (!echoes(s)) {
                        return false;
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return lb.activeConnections() == CLIENTS / 2;
        });
        Socket fresh = keep(Clients.connect("127.0.0.3", port));
        Socket fresh2 = keep(Clients.connect("127.0.0.3", port));
        assertThat(List.of(firstLine(fresh, Duration.ofMillis(500)), firstLine(fresh2, Duration.ofMillis(500))))
                .as("the balancer keeps serving").contains("good");
    }

    /** One HTTP/1.0 request on a new connection: true when it got a 200 answer in full. */
    private static boolean httpGet(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** A request's start and outcome. */
    private record Outcome(long startNanos, boolean ok) {
    }

    @Test
    void serverKilledUnderLoadLosesOnlyItsRequestsInFlightAndTheOthersTakeTheTraffic(@TempDir Path dir)
            throws Exception {
        Nginx first = keep(Nginx.start(dir, "web1", "127.0.0.1"));
        Nginx second = keep(Nginx.start(dir, "web2", "127.0.0.1"));
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                .modes(Modes.DEFAULT.withRoundRobin(true)).backend(first.address()).backend(second.address())
                .build()));
        int port = Clients.port(lb.localAddress());
        int threads = 4;
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    outcomes.add(new Outcome(start, httpGet(port)));
                }
            }, "load-" + i);
            t.start();
            load.add(t);
        }
        try {
            Await.until("requests served by both servers", Duration.ofSeconds(20),
                    () -> first.accessLines().size() > 50 && second.accessLines().size() > 50);
            long killedAt = System.nanoTime();
            ProcessHandle nginx = ProcessHandle.of(first.pid()).orElseThrow();
            nginx.destroyForcibly(); // SIGKILL
            Await.until("the killed server to be gone", Duration.ofSeconds(10), () -> !nginx.isAlive());
            long goneAt = System.nanoTime();
            int before = second.accessLines().size();
            Await.until("the other server to take 200 more requests", Duration.ofSeconds(30),
                    () -> second.accessLines().size() > before + 200);
            running.set(false);
            for (Thread t : load) {
                t.join(10_000);
            }
            List<Outcome> all = List.copyOf(outcomes);
            long failedInFlight = all.stream().filter(o -> !o.ok() && o.startNanos() < goneAt).count();
            List<Outcome> after = all.stream().filter(o -> o.startNanos() > goneAt).toList();
            LOG.info("nginx killed: {} requests in all, {} failed that started before it was gone "
                    + "({} ms after the kill), {} started afterwards", all.size(), failedInFlight,
                    (goneAt - killedAt) / 1_000_000, after.size());
            assertThat(failedInFlight).as("failed requests that were in flight at the kill").isLessThanOrEqualTo(
                    threads);
            assertThat(after).as("requests started after the kill").isNotEmpty().allMatch(Outcome::ok);
            assertThat(httpGet(port)).as("the balancer keeps serving").isTrue();
        } finally {
            running.set(false);
            for (Thread t : load) {
                t.join(10_000);
            }
        }
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    /**
     * A client that sends 16 KiB and resets at once, before the balancer has read any of it (reading starts once
     * the server is connected), is released and its server connection closed, whatever the transport. The server
     * reads nothing and answers nothing, so no write to the reset client ends it instead.
     */
    @ParameterizedTest
    @MethodSource("transports")
    void resetByTheClientMidTransferReleasesItsConnection(Transport transport) throws Exception {
        FaultyServer silent = keep(new FaultyServer(Fault.NEVER_ANSWERS));
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                .transport(transport).backend(silent.spec()).build()));
        try (Socket s = Clients.connect("127.0.0.2", Clients.port(lb.localAddress()))) {
            s.getOutputStream().write(new byte[16 * 1024]);
            s.setSoLinger(true, 0);
        }
        Await.until("the server connection made", () -> silent.accepted() == 1);
        Await.until("no connection left after the client's reset", Duration.ofSeconds(5),
                () -> lb.activeConnections() == 0);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> resets() {
        return Transports.available().stream().flatMap(t -> java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(t, Fault.RESET_MID_TRANSFER),
                org.junit.jupiter.params.provider.Arguments.of(t, Fault.RESET_AT_ONCE)));
    }

    /** A reset by the server reaches its client as a reset or an end, never as a hang. */
    @ParameterizedTest
    @MethodSource("resets")
    void resetByTheServerEndsTheClientPromptly(Transport transport, Fault fault) throws Exception {
        FaultyServer faulty = keep(new FaultyServer(fault));
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                .transport(transport).backend(faulty.spec()).build()));
        Socket s = keep(Clients.connect("127.0.0.2", Clients.port(lb.localAddress())));
        s.getOutputStream().write('x');
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        long start = System.nanoTime();
        long total = 0;
        try {
            for (int n = in.read(new byte[8192]); n >= 0; n = in.read(new byte[8192])) {
                total += n;
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError(fault + " on " + transport + ": the client still open after 5 s, with " + total
                    + " bytes read and " + lb.activeConnections() + " connection(s) open", e);
        } catch (SocketException reset) {
            // a reset passed on
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        Await.until("no connection left", () -> lb.activeConnections() == 0);
    }
}
