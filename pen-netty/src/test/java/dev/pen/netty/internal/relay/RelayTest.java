package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.TestAccess;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The relay on every transport this machine has: integrity, backpressure, half-close, resets, many at once, and
 * pen's -x (clients past it wait in the kernel's backlog).
 */
class RelayTest {
    private static final int MIB = 1024 * 1024;
    private final Closer resources = new Closer();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() throws Exception {
        threads.shutdownNow();
        resources.close();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private Balancer balancer(Transport transport, String... backends) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0").transport(transport);
        for (String spec : backends) {
            b.backend(spec);
        }
        return keep(NettyBalancer.start(b.build()));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void clientsPastTheConnectionLimitWaitInTheBacklogUntilASlotIsFree(Transport transport) {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").transport(transport)
                .limits(dev.pen.api.Limits.DEFAULT.withMaxConnections(20)).backend(echo.spec()).build()));
        int port = Clients.port(lb.localAddress());
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            clients.add(keep(Clients.connect("127.0.0.1", port)));
        }
        // Every client has connected, so each is either served or waiting: in the backlog, or (io_uring's multishot
        // accept takes what is queued before its cancel reaches the kernel) accepted and held unread.
        Await.value("20 accepted and 40 waiting", () -> lb.activeConnections() + " accepted, "
                + (waiting(port) + TestAccess.context(lb).gate().held()) + " waiting", "20 accepted, 40 waiting"::equals);
        assertThat(echo.accepted()).isLessThanOrEqualTo(20);
        try {
            clients.get(0).close(); // accepted first, as the backlog is a queue
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.value("one more accepted", () -> lb.activeConnections() + " accepted, "
                + (waiting(port) + TestAccess.context(lb).gate().held()) + " waiting", "20 accepted, 39 waiting"::equals);
    }

    /** The length of the accept queue of the TCP listener on {@code port}, from /proc/net/tcp and tcp6. */
    static int waiting(int port) {
        String hexPort = String.format(":%04X", port);
        try {
            for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                for (String line : Files.readAllLines(Path.of(file))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local rem st tx_queue:rx_queue ...; a listener's rx_queue is its accept queue.
                    if (f.length > 4 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                        return Integer.parseInt(f[4].substring(f[4].indexOf(':') + 1), 16);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return -1;
    }

    @ParameterizedTest
    @MethodSource("transports")
    void hundredMebibytesEachWayArriveIntact(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec());
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        s.setSoTimeout(30_000);
        long size = 100L * MIB;
        CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> send(s, size, 1), threads);
        InputStream in = s.getInputStream();
        assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("echo\n");
        long received = checksum(in, size);
        s.shutdownOutput();
        assertThat(received).isEqualTo(sent.get(60, TimeUnit.SECONDS));
        assertThat(in.read()).as("end of stream after the echo").isEqualTo(-1);
        Await.until("connection closed", () -> lb.activeConnections() == 0);
        assertThat(lb.backend(0).orElseThrow().bytesToBackend()).isEqualTo(size);
        assertThat(lb.backend(0).orElseThrow().bytesFromBackend()).isEqualTo(size + 5);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void slowClientKeepsTheBalancersBufferUnderOneMebibyte(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec());
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        s.setSoTimeout(30_000);
        BufferProbe probe = keep(new BufferProbe((NettyBalancer) lb));
        long size = 32L * MIB;
        // The client writes everything before reading anything: the echo backs up towards the balancer.
        long sent = send(s, size, 2);
        Await.until("the balancer stops reading the backend", () -> probe.max() > 0 && probe.backendReadingPaused());
        InputStream in = s.getInputStream();
        assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("echo\n");
        assertThat(checksum(in, size)).isEqualTo(sent);
        assertThat(probe.max()).isLessThan(MIB);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void slowBackendKeepsTheBalancersBufferUnderOneMebibyte(Transport transport) throws Exception {
        ServerSocket slow = keep(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
        Balancer lb = balancer(transport, "127.0.0.1:" + slow.getLocalPort());
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        BufferProbe probe = keep(new BufferProbe((NettyBalancer) lb));
        long size = 32L * MIB;
        CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> send(s, size, 3), threads);
        Socket backendSide = keep(slow.accept());
        backendSide.setSoTimeout(30_000);
        Await.until("the balancer stops reading the client", () -> probe.clientReadingPaused());
        long received = checksum(backendSide.getInputStream(), size);
        assertThat(received).isEqualTo(sent.get(30, TimeUnit.SECONDS));
        assertThat(probe.max()).isLessThan(MIB);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void bothSidesSendSmallWritesAtOnce(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec());
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        assertThat(Clients.readLine(s)).isEqualTo("echo");
        RelayConnection c = TestAccess.context(lb).connections().iterator().next();
        assertThat(c.clientChannel().config().getOption(io.netty.channel.ChannelOption.TCP_NODELAY)).isTrue();
        assertThat(c.backendChannel().config().getOption(io.netty.channel.ChannelOption.TCP_NODELAY)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void clientThatShutsItsOutputStillGetsTheWholeReply(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec());
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        s.getOutputStream().write("hello, half-closed world".getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                .isEqualTo("echo\nhello, half-closed world");
        Await.until("connection closed", () -> lb.activeConnections() == 0);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void backendResetClosesOnlyItsOwnClient(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec());
        int port = Clients.port(lb.localAddress());
        Socket victim = keep(Clients.connect("127.0.0.1", port));
        Socket other = keep(Clients.connect("127.0.0.1", port));
        assertThat(victim.getInputStream().readNBytes(5)).isEqualTo("echo\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(other.getInputStream().readNBytes(5)).isEqualTo("echo\n".getBytes(StandardCharsets.US_ASCII));
        victim.getOutputStream().write("RST".getBytes(StandardCharsets.US_ASCII));
        assertThat(readToEndOrReset(victim.getInputStream())).isEmpty();
        Await.until("victim's connection gone", () -> lb.activeConnections() == 1);
        other.getOutputStream().write("still here".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(other.getInputStream().readNBytes(10), StandardCharsets.US_ASCII))
                .isEqualTo("still here");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void thousandConcurrentConnectionsAllComplete(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        BalancerConfig config = BalancerConfig.builder().listen("127.0.0.1:0").transport(transport)
                .backend(echo.spec()).limits(dev.pen.api.Limits.DEFAULT.withMaxConnections(2000)).build();
        Balancer lb = keep(NettyBalancer.start(config));
        int port = Clients.port(lb.localAddress());
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sockets.add(keep(Clients.connect("127.0.0." + (1 + i % 200), port)));
        }
        for (int i = 0; i < sockets.size(); i++) {
            sockets.get(i).getOutputStream().write(("client " + i + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        Await.until("1000 connections open", () -> lb.activeConnections() == 1000);
        for (int i = 0; i < sockets.size(); i++) {
            Socket s = sockets.get(i);
            s.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("echo\nclient " + i + "\n");
        }
        Await.until("every connection closed", () -> lb.activeConnections() == 0);
        assertThat(echo.accepted()).isEqualTo(1000);
    }

    private static byte[] readToEndOrReset(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException reset) {
            return new byte[0];
        }
    }

    /** Sends {@code size} pseudo-random bytes and returns their CRC32. */
    private static long send(Socket s, long size, long seed) {
        try {
            OutputStream out = s.getOutputStream();
            Random random = new Random(seed);
            byte[] chunk = new byte[64 * 1024];
            CRC32 crc = new CRC32();
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                out.write(chunk, 0, n);
                crc.update(chunk, 0, n);
                left -= n;
            }
            out.flush();
            return crc.getValue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long checksum(InputStream in, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        CRC32 crc = new CRC32();
        for (long left = size; left > 0; ) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            assertThat(n).as("stream ended with %d bytes missing", left).isPositive();
            crc.update(buf, 0, n);
            left -= n;
        }
        return crc.getValue();
    }

    /** Samples the balancer's buffered bytes for its connections on their event loop, keeping the maximum. */
    private static final class BufferProbe implements AutoCloseable {
        private final NettyBalancer balancer;
        private final AtomicLong max = new AtomicLong();
        private final java.util.concurrent.ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor();

        BufferProbe(NettyBalancer balancer) {
            this.balancer = balancer;
            timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            for (RelayConnection c : TestAccess.context(balancer).connections()) {
                try {
                    long n = c.clientChannel().eventLoop().submit(c::bufferedBytes).get();
                    max.accumulateAndGet(n, Math::max);
                } catch (Exception e) {
                    return;
                }
            }
        }

        long max() {
            return max.get();
        }

        boolean clientReadingPaused() {
            return TestAccess.context(balancer).connections().stream()
                    .anyMatch(c -> !c.clientChannel().config().isAutoRead());
        }

        boolean backendReadingPaused() {
            return TestAccess.context(balancer).connections().stream().anyMatch(RelayConnection::backendReadingPaused);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
