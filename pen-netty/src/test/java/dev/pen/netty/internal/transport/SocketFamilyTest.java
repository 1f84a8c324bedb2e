package dev.pen.netty.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Transports;
import dev.pen.netty.testing.UdpEchoBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An IPv4 address is bound and connected with an IPv4 socket, as the kernel's tables show (/proc/net/tcp rather
 * than tcp6): {@code ss} shows {@code 127.0.0.1:PORT}, not {@code [::ffff:127.0.0.1]:PORT}. For TCP on NIO and
 * epoll; io_uring's TCP channels take no protocol family in Netty 4.2. For UDP on every transport.
 */
class SocketFamilyTest {
    private static final String LISTEN = "0A";
    private static final String ESTABLISHED = "01";
    private static final String ANY = "any";
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    static List<Transport> tcpTransports() {
        return Transports.available().stream().filter(t -> t != Transport.IO_URING).toList();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    @ParameterizedTest
    @MethodSource("tcpTransports")
    void ipv4ListenerAndServerConnectsUseIpv4TcpSockets(Transport transport) throws Exception {
        NamedBackend backend = resources.keep(new NamedBackend("a"));
        Balancer lb = resources.keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                .transport(transport).backend(backend.spec()).build()));
        int port = ((InetSocketAddress) lb.localAddress()).getPort();
        assertThat(sockets("tcp", LISTEN, port, -1)).as("IPv4 listener on port %d", port).hasSize(1);
        assertThat(sockets("tcp6", LISTEN, port, -1)).as("IPv6 listener on port %d", port).isEmpty();

        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(5000);
            assertThat(new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine()).isEqualTo("a");
            // The balancer's socket to the server is the one whose peer is the server's port.
            assertThat(sockets("tcp", ESTABLISHED, -1, backend.port())).as("IPv4 socket to the server").hasSize(1);
            assertThat(sockets("tcp6", ESTABLISHED, -1, backend.port())).as("IPv6 socket to the server").isEmpty();
            assertThat(sockets("tcp6", ESTABLISHED, port, client.getLocalPort())).as("IPv6 accepted client")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void ipv4UdpListenerAndUpstreamSocketsAreIpv4(Transport transport) throws Exception {
        UdpEchoBackend backend = resources.keep(new UdpEchoBackend("a"));
        Balancer lb = resources.keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                .transport(transport).udp(true).backend(backend.spec()).build()));
        int port = ((InetSocketAddress) lb.localAddress()).getPort();
        assertThat(sockets("udp", ANY, port, -1)).as("IPv4 UDP listener on port %d", port).hasSize(1);
        assertThat(sockets("udp6", ANY, port, -1)).as("IPv6 UDP sockets on port %d", port).isEmpty();

        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout(5000);
            client.send(new DatagramPacket(new byte[] {'q'}, 1, lb.localAddress()));
            client.receive(new DatagramPacket(new byte[512], 512));
            Await.until("the upstream socket in the kernel's table",
                    () -> !sockets("udp", ANY, -1, backend.port()).isEmpty());
            assertThat(sockets("udp6", ANY, -1, backend.port())).as("IPv6 upstream socket").isEmpty();
        }
    }

    /**
     * The lines of /proc/net/{@code table} in {@code state} (the kernel's hex code, or {@link #ANY}) with local port
     * {@code local} and remote port {@code remote} (-1: any). Sockets other tests left in TIME_WAIT are not counted.
     */
    private static List<String> sockets(String table, String state, int local, int remote) {
        List<String> found = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/" + table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 3 || !f[1].contains(":")) {
                    continue;
                }
                if ((local < 0 || port(f[1]) == local) && (remote < 0 || port(f[2]) == remote)
                        && (state.equals(ANY) || f[3].equals(state))) {
                    found.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
    }
}
