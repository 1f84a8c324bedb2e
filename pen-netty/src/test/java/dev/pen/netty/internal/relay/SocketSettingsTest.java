package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.FastClose;
import dev.pen.api.Limits;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.TestAccess;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Transports;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pen's socket tunables on real loopback sockets: tcp_nodelay, keepalive, source, transparent, tcp_fastclose,
 * pending_max, -m and dummy, each read back from the sockets or seen from the other end.
 */
class SocketSettingsTest {
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    static List<Transport> nativeTransports() {
        return Transports.available().stream().filter(t -> t != Transport.NIO).toList();
    }

    static Stream<Arguments> fastCloseCases() {
        List<Arguments> all = new ArrayList<>();
        for (Transport t : Transports.available()) {
            for (FastClose f : FastClose.values()) {
                all.add(Arguments.of(t, f, true));
                all.add(Arguments.of(t, f, false));
            }
        }
        return all.stream();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private Balancer balancer(Transport transport, String backend, UnaryOperator<BalancerConfig.Builder> settings) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0").transport(transport);
        if (backend != null) {
            b.backend(backend);
        }
        return keep(NettyBalancer.start(settings.apply(b).build()));
    }

    /** The only open connection of {@code lb}, once its backend is connected. */
    private static RelayConnection connected(Balancer lb) {
        return Await.value("a connected connection", () -> TestAccess.context(lb).connections().stream()
                .filter(c -> c.backendChannel() != null && c.backendChannel().isActive()).findFirst().orElse(null),
                c -> c != null);
    }

    private static <T> T option(Channel ch, ChannelOption<T> option) {
        return ch.eventLoop().submit(() -> ch.config().getOption(option)).syncUninterruptibly().getNow();
    }

    private ServerSocket backendSocket() throws IOException {
        ServerSocket s = keep(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
        s.setSoTimeout(10_000);
        return s;
    }

    // ---- tcp_nodelay, keepalive ---------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("transports")
    void tcpNoDelayOffReachesBothSidesAndOnReachesNewConnections(Transport transport) {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec(), b -> b.tcpNoDelay(false));
        Socket first = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        assertThat(Clients.readLine(first)).isEqualTo("echo");
        RelayConnection c = connected(lb);
        assertThat(option(c.clientChannel(), ChannelOption.TCP_NODELAY)).isFalse();
        assertThat(option(c.backendChannel(), ChannelOption.TCP_NODELAY)).isFalse();

        lb.update(lb.config().toBuilder().tcpNoDelay(true).build());
        Socket second = keep(Clients.connect("127.0.0.2", Clients.port(lb.localAddress())));
        assertThat(Clients.readLine(second)).isEqualTo("echo");
        RelayConnection d = Await.value("the second connection", () -> TestAccess.context(lb).connections().stream()
                .filter(x -> x != c && x.backendChannel() != null && x.backendChannel().isActive()).findFirst()
                .orElse(null), x -> x != null);
        assertThat(option(d.clientChannel(), ChannelOption.TCP_NODELAY)).isTrue();
        assertThat(option(d.backendChannel(), ChannelOption.TCP_NODELAY)).isTrue();
        assertThat(option(c.clientChannel(), ChannelOption.TCP_NODELAY)).as("an open connection keeps its own")
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void keepAliveIsSetOnTheServerSocketOnlyWhenAskedFor(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec(), b -> b);
        Socket first = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        assertThat(Clients.readLine(first)).isEqualTo("echo");
        assertThat(option(connected(lb).backendChannel(), ChannelOption.SO_KEEPALIVE)).isFalse();
        first.close();
        Await.until("the first connection ends", () -> lb.activeConnections() == 0);

        lb.update(lb.config().toBuilder().keepAlive(true).build());
        Socket second = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        assertThat(Clients.readLine(second)).isEqualTo("echo");
        assertThat(option(connected(lb).backendChannel(), ChannelOption.SO_KEEPALIVE)).isTrue();
    }

    // ---- source, transparent ------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("transports")
    void theServerSeesConnectionsFromTheSourceAddress(Transport transport) throws Exception {
        ServerSocket server = backendSocket();
        InetAddress source = InetAddress.getByName("127.0.0.2");
        Balancer lb = balancer(transport, "127.0.0.1:" + server.getLocalPort(), b -> b.sourceAddress(source));
        keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        Socket seen = keep(server.accept());
        assertThat(seen.getInetAddress().getHostAddress()).isEqualTo("127.0.0.2");

        lb.update(lb.config().toBuilder().sourceAddress(null).build());
        keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        assertThat(keep(server.accept()).getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void udpDatagramsReachTheServerFromTheSourceAddress(Transport transport) throws Exception {
        java.net.DatagramSocket server = keep(new java.net.DatagramSocket(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)));
        server.setSoTimeout(10_000);
        InetAddress source = InetAddress.getByName("127.0.0.2");
        Balancer lb = balancer(transport, "127.0.0.1:" + server.getLocalPort(),
                b -> b.udp(true).sourceAddress(source));
        java.net.DatagramSocket client = keep(new java.net.DatagramSocket(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)));
        client.send(new java.net.DatagramPacket(new byte[] {'x'}, 1, lb.localAddress()));
        java.net.DatagramPacket seen = new java.net.DatagramPacket(new byte[16], 16);
        server.receive(seen);
        assertThat(seen.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aSourceAddressThatCannotBeBoundStillConnects(Transport transport) throws Exception {
        ServerSocket server = backendSocket();
        // An address this host does not have (TEST-NET-1) cannot be bound: pen then connects from the system's choice.
        InetAddress source = InetAddress.getByName("192.0.2.1");
        Balancer lb = balancer(transport, "127.0.0.1:" + server.getLocalPort(), b -> b.sourceAddress(source));
        keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        assertThat(keep(server.accept()).getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(lb.backend(0).orElseThrow().blacklistedUntilMillis()).isZero();
    }

    @ParameterizedTest
    @MethodSource("nativeTransports")
    void transparentConnectsFromTheClientsAddressWithIpTransparentSet(Transport transport) throws Exception {
        ServerSocket server = backendSocket();
        Balancer lb;
        try {
            lb = balancer(transport, "127.0.0.1:" + server.getLocalPort(), b -> b.transparent(true));
        } catch (IllegalArgumentException e) {
            // Without CAP_NET_ADMIN or CAP_NET_RAW the start is refused with the reason; that is all to see then.
            assertThat(e).hasMessageStartingWith("transparent: can't set IP_TRANSPARENT: ")
                    .hasMessageEndingWith("(expected the capability CAP_NET_ADMIN or CAP_NET_RAW)");
            // A test that needs a capability may skip where it is missing, never under CI=true.
            assertThat(System.getenv("CI")).as("CI=true needs CAP_NET_ADMIN or CAP_NET_RAW: %s", e.getMessage())
                    .isNotEqualTo("true");
            assumeTrue(false, "no CAP_NET_ADMIN nor CAP_NET_RAW: " + e.getMessage());
            return;
        }
        keep(Clients.connect("127.0.0.3", Clients.port(lb.localAddress())));
        Socket seen = keep(server.accept());
        assertThat(seen.getInetAddress().getHostAddress()).isEqualTo("127.0.0.3");
        assertThat(option(connected(lb).backendChannel(), TestAccess.context(lb).transport().ipTransparent()))
                .isTrue();
    }

    @Test
    void transparentOnNioIsRefusedWithTheReason() {
        Transport transport = Transport.NIO;
        assertThatThrownBy(() -> balancer(transport, "127.0.0.1:1", b -> b.transparent(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transparent: the nio transport has no IP_TRANSPARENT (expected epoll or io_uring, on "
                        + "Linux)");
        Balancer lb = balancer(transport, "127.0.0.1:1", b -> b);
        assertThatThrownBy(() -> lb.update(lb.config().toBuilder().transparent(true).build()))
                .hasMessageStartingWith("transparent: the nio transport has no IP_TRANSPARENT");
        assertThat(lb.config().transparent()).isFalse();
    }

    // ---- tcp_fastclose ------------------------------------------------------------------------------------------

    /**
     * One side ends its stream; with a fast close for that side the other side is closed at once (it reads the end
     * of its stream without having ended its own), without one it may still send, and its bytes arrive.
     */
    @ParameterizedTest(name = "{0} tcp_fastclose {1}, client ends first: {2}")
    @MethodSource("fastCloseCases")
    void fastCloseClosesTheOtherSideOnlyForItsSide(Transport transport, FastClose fastClose, boolean clientEnds)
            throws Exception {
        ServerSocket server = backendSocket();
        Balancer lb = balancer(transport, "127.0.0.1:" + server.getLocalPort(), b -> b.fastClose(fastClose));
        Socket client = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        Socket backend = keep(server.accept());
        backend.setSoTimeout(10_000);
        client.setSoTimeout(10_000);
        client.getOutputStream().write('a');
        assertThat(backend.getInputStream().read()).isEqualTo('a');

        Socket ending = clientEnds ? client : backend;
        Socket other = clientEnds ? backend : client;
        ending.shutdownOutput();
        assertThat(other.getInputStream().read()).as("the end of stream is passed on").isEqualTo(-1);
        boolean closes = clientEnds ? fastClose.onClientEnd() : fastClose.onServerEnd();
        if (closes) {
            assertThat(readToEnd(ending.getInputStream())).as("closed without the other side ending").isEmpty();
        } else {
            other.getOutputStream().write("late".getBytes(StandardCharsets.US_ASCII));
            other.shutdownOutput();
            assertThat(readToEnd(ending.getInputStream())).isEqualTo("late");
        }
        Await.until("the connection ends", () -> lb.activeConnections() == 0);
    }

    private static String readToEnd(InputStream in) throws IOException {
        try {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (java.net.SocketException reset) {
            return "";
        }
    }

    // ---- pending_max, -m ----------------------------------------------------------------------------------------

    /**
     * A loopback listener whose accept queue is full: the kernel drops further SYNs, so connects to it stay in
     * progress until it accepts.
     */
    private ServerSocket blackHole(List<Socket> fillers) throws IOException {
        ServerSocket hole = keep(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
        for (int i = 0; i < 8; i++) {
            Socket s = keep(new Socket());
            try {
                s.connect(new InetSocketAddress("127.0.0.1", hole.getLocalPort()), 300);
                fillers.add(s);
            } catch (SocketTimeoutException full) {
                return hole;
            }
        }
        throw new IllegalStateException("the accept queue of a backlog-1 listener never filled");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void acceptingPausesWhilePendingConnectsAreAtTheLimitAndResumes(Transport transport) throws Exception {
        ServerSocket hole = blackHole(new ArrayList<>());
        Balancer lb = balancer(transport, "127.0.0.1:" + hole.getLocalPort(), b -> b.maxPendingConnects(2)
                .limits(Limits.DEFAULT.withConnectTimeout(Duration.ofSeconds(60))).firstByteTimeout(Duration.ZERO));
        int port = Clients.port(lb.localAddress());
        AcceptGate gate = TestAccess.context(lb).gate();
        keep(Clients.connect("127.0.0.1", port));
        keep(Clients.connect("127.0.0.2", port));
        Await.until("two connects in progress", () -> gate.pending() == 2);
        keep(Clients.connect("127.0.0.3", port)); // completed by the kernel, into the listener's backlog
        Channel listener = TestAccess.listener(lb);
        Await.until("accepting paused", () -> !listener.eventLoop().submit(() -> listener.config().isAutoRead())
                .syncUninterruptibly().getNow());
        assertThat(lb.activeConnections()).as("the third client waits in the backlog").isEqualTo(2);
        assertThat(gate.pending()).isEqualTo(2);

        // The backend accepts: its queue has room, the retried SYNs complete, and the third client is taken.
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(hole.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.start();
        keep(() -> {
            hole.close();
            acceptor.join(10_000);
            for (Socket s : accepted) {
                s.close();
            }
        });
        Await.until("the third client accepted", Duration.ofSeconds(30), () -> lb.activeConnections() == 3);
        Await.until("every connect done", Duration.ofSeconds(30), () -> gate.pending() == 0);
    }

    /** How many clients each wakeup of the listener accepted, with {@code acceptBatch}, for 6 waiting clients. */
    private List<Integer> acceptBatches(Transport transport, int acceptBatch) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, echo.spec(), b -> b.acceptBatch(acceptBatch));
        Channel listener = TestAccess.listener(lb);
        List<Integer> batches = new CopyOnWriteArrayList<>();
        CountDownLatch hold = new CountDownLatch(1);
        listener.eventLoop().submit(() -> {
            listener.pipeline().addFirst(new ChannelInboundHandlerAdapter() {
                private int reads;

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    reads++;
                    ctx.fireChannelRead(msg);
                }

                @Override
                public void channelReadComplete(ChannelHandlerContext ctx) {
                    if (reads > 0) {
                        batches.add(reads);
                    }
                    reads = 0;
                    ctx.fireChannelReadComplete();
                }
            });
        }).syncUninterruptibly();
        // The listener's loop waits while six clients queue up in the backlog.
        listener.eventLoop().execute(() -> {
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 1; i <= 6; i++) {
            keep(Clients.connect("127.0.0." + i, Clients.port(lb.localAddress())));
        }
        hold.countDown();
        Await.until("six clients accepted", () -> lb.activeConnections() == 6);
        listener.eventLoop().submit(() -> { }).syncUninterruptibly(); // the wakeup that took them is over
        return batches;
    }

    /** The transports whose listener takes several clients per wakeup (io_uring accepts one per completion). */
    static List<Transport> batchingTransports() {
        return transports().stream().filter(t -> t != Transport.IO_URING).toList();
    }

    @ParameterizedTest
    @MethodSource("batchingTransports")
    void multiAcceptBoundsTheClientsTakenPerWakeup(Transport transport) throws Exception {
        assertThat(acceptBatches(transport, 2)).allMatch(n -> n <= 2).hasSizeGreaterThanOrEqualTo(3);
        resources.close();
        assertThat(acceptBatches(transport, 100)).containsExactly(6);
    }

    // ---- dummy --------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("transports")
    void dummyAnswersWithPensReplyAndClosesWithoutAServer(Transport transport) throws Exception {
        NamedBackend unused = keep(new NamedBackend("unused"));
        Balancer lb = balancer(transport, unused.spec(), b -> b.dummy(true));
        Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(s.getInputStream().readAllBytes()).isEqualTo(
                "HTTP/1.1 200 OK\r\nContent-Length: 15\r\nContent-Type: text/html\r\n\r\nUlric was here."
                        .getBytes(StandardCharsets.US_ASCII));
        Socket silent = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        silent.shutdownOutput();
        assertThat(silent.getInputStream().readAllBytes()).isEmpty();
        Await.until("both slots free", () -> lb.activeConnections() == 0);
        assertThat(unused.accepted()).isZero();

        lb.update(lb.config().toBuilder().dummy(false).build());
        assertThat(Clients.greeting("127.0.0.1", Clients.port(lb.localAddress()))).isEqualTo("unused");
    }
}
