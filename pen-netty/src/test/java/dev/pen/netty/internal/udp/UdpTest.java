package dev.pen.netty.internal.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.BackendStats;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import dev.pen.api.PenLogLine;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Transports;
import dev.pen.netty.testing.UdpEchoBackend;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** UDP mode (-U) through a real balancer to in-process UDP echo backends. */
class UdpTest {
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private Balancer balancer(Transport transport, Consumer<BalancerConfig.Builder> settings,
            UdpEchoBackend... backends) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0").transport(transport).udp(true);
        for (UdpEchoBackend backend : backends) {
            b.backend(backend.spec());
        }
        settings.accept(b);
        return keep(NettyBalancer.start(b.build()));
    }

    private DatagramSocket client(String from) throws Exception {
        DatagramSocket s = keep(new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0)));
        s.setSoTimeout(5_000);
        return s;
    }

    /** Sends {@code text} to the balancer and returns the reply's packet. */
    private static DatagramPacket exchange(DatagramSocket s, Balancer lb, byte[] data) throws Exception {
        s.send(new DatagramPacket(data, data.length, lb.localAddress()));
        DatagramPacket reply = new DatagramPacket(new byte[70_000], 70_000);
        s.receive(reply);
        return reply;
    }

    private static String ask(DatagramSocket s, Balancer lb, String text) throws Exception {
        DatagramPacket reply = exchange(s, lb, text.getBytes(StandardCharsets.US_ASCII));
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void requestGetsTheBackendsReplyFromTheListenAddress(Transport transport) throws Exception {
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        Balancer lb = balancer(transport, b -> { }, a);
        DatagramSocket s = client("127.0.0.1");
        DatagramPacket reply = exchange(s, lb, "query".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII))
                .startsWith("a ").endsWith(" query");
        assertThat(reply.getSocketAddress()).isEqualTo(lb.localAddress());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void largeDatagramArrivesWhole(Transport transport) throws Exception {
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        Balancer lb = balancer(transport, b -> { }, a);
        byte[] data = new byte[60_000];
        new Random(5).nextBytes(data);
        DatagramPacket reply = exchange(client("127.0.0.1"), lb, data);
        String head = new String(reply.getData(), 0, 16, StandardCharsets.US_ASCII);
        int prefix = head.indexOf(' ', 2) + 1; // "a <port> "
        assertThat(java.util.Arrays.copyOfRange(reply.getData(), prefix, reply.getLength())).isEqualTo(data);
    }

    @Test
    void sessionSticksToOneBackendAndOneUpstreamPort() throws Exception {
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        UdpEchoBackend b = keep(new UdpEchoBackend("b"));
        Balancer lb = balancer(Transport.AUTO, c -> c.strategy(dev.pen.api.Strategy.penModes())
                .modes(dev.pen.api.Modes.DEFAULT.withRoundRobin(true)), a, b);
        DatagramSocket s = client("127.0.0.1");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String reply = ask(s, lb, "q" + i);
            seen.add(reply.substring(0, reply.lastIndexOf(' ')));
        }
        assertThat(seen).as("backend and upstream port of every reply").hasSize(1);
        assertThat(lb.activeConnections()).isEqualTo(1);
    }

    @Test
    void clientsOnDifferentAddressesUseBothBackendsAndEachAddressKeepsItsOwn() throws Exception {
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        UdpEchoBackend b = keep(new UdpEchoBackend("b"));
        Balancer lb = balancer(Transport.AUTO, c -> { }, a, b);
        List<String> first = new ArrayList<>();
        for (String from : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5")) {
            first.add(ask(client(from), lb, "hi").split(" ")[0]);
        }
        assertThat(first).contains("a", "b");
        for (int i = 0; i < 4; i++) {
            String from = "127.0.0." + (i + 2);
            assertThat(ask(client(from), lb, "again").split(" ")[0]).as("new port on %s", from)
                    .isEqualTo(first.get(i));
        }
    }

    @Test
    void idleSessionEnds() throws Exception {
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        Balancer lb = balancer(Transport.AUTO, c -> c.udpIdleTimeout(Duration.ofMillis(200)), a);
        String before = ask(client("127.0.0.1"), lb, "hi");
        assertThat(lb.activeConnections()).isEqualTo(1);
        Await.until("idle session ended", () -> lb.activeConnections() == 0);
        assertThat(lb.backends().get(0).activeConnections()).isZero();
        DatagramSocket same = client("127.0.0.1");
        String after = ask(same, lb, "hi");
        assertThat(after.split(" ")[1]).as("a new session has a new upstream port").isNotEqualTo(before.split(" ")[1]);
    }

    @Test
    void shorterIdleTimeoutAppliesToOpenSessions() throws Exception {
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        Balancer lb = balancer(Transport.AUTO, c -> { }, a);
        assertThat(lb.config().udpIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
        ask(client("127.0.0.1"), lb, "hi");
        lb.update(c -> c.toBuilder().udpIdleTimeout(Duration.ofMillis(100)).build());
        Await.until("session ended by the new timeout", () -> lb.activeConnections() == 0);
    }

    @Test
    void everyDatagramIsLoggedTheFirstIncluded() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        List<Long> closed = new CopyOnWriteArrayList<>();
        ConnectionLog log = new ConnectionLog() {
            @Override
            public boolean wantsClientData() {
                return true;
            }

            @Override
            public void clientData(ConnectionInfo connection, byte[] firstLine) {
                lines.add(PenLogLine.text(firstLine));
            }

            @Override
            public void closed(ConnectionInfo connection) {
                closed.add(connection.id());
            }
        };
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        Balancer lb = balancer(Transport.AUTO, c -> c.connectionLog(log).udpIdleTimeout(Duration.ofMillis(200)), a);
        DatagramSocket s = client("127.0.0.1");
        ask(s, lb, "one\nrest");
        ask(s, lb, "two");
        ask(s, lb, "three");
        assertThat(lines).containsExactly("one", "two", "three");
        Await.until("session closed and logged", () -> closed.size() == 1);
    }

    @Test
    void bytesAreCountedForTheBackendBothWays() throws Exception {
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        Balancer lb = balancer(Transport.AUTO, c -> { }, a);
        DatagramSocket s = client("127.0.0.1");
        int replied = ask(s, lb, "12345").length() + ask(s, lb, "123").length();
        BackendStats stats = lb.backends().get(0);
        assertThat(stats.bytesToBackend()).isEqualTo(8);
        assertThat(stats.bytesFromBackend()).isEqualTo(replied);
        assertThat(stats.totalConnections()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void fullSessionTableEndsTheLeastRecentlyActiveSessionForANewClient(Transport transport) throws Exception {
        UdpEchoBackend a = keep(new UdpEchoBackend("a"));
        Balancer lb = balancer(transport, c -> c.limits(dev.pen.api.Limits.DEFAULT.withMaxConnections(3)), a);
        DatagramSocket first = client("127.0.0.2");
        DatagramSocket second = client("127.0.0.3");
        DatagramSocket third = client("127.0.0.4");
        ask(first, lb, "1");
        ask(second, lb, "2");
        ask(third, lb, "3");
        ask(first, lb, "1 again"); // the second is now the one quiet longest
        // A DNS client asks each query from a new port: the newest client is served, the quietest one goes.
        assertThat(ask(client("127.0.0.5"), lb, "4")).endsWith(" 4");
        assertThat(lb.connections()).hasSize(3).extracting(ConnectionInfo::clientAddress)
                .doesNotContain(second.getLocalSocketAddress())
                .contains(first.getLocalSocketAddress(), third.getLocalSocketAddress());
        assertThat(ask(second, lb, "2 again")).as("a new session for the ended one").endsWith(" 2 again");
        assertThat(lb.connections()).hasSize(3).extracting(ConnectionInfo::clientAddress)
                .doesNotContain(third.getLocalSocketAddress());
    }
}
