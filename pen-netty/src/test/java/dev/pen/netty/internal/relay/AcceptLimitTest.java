package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Transports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** pen's -x on every transport: past the limit, clients wait in the kernel's backlog, unaccepted. */
class AcceptLimitTest {
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

    @ParameterizedTest
    @MethodSource("transports")
    void clientsPastTheConnectionLimitWaitInTheBacklogUntilASlotIsFree(Transport transport) {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").transport(transport)
                .limits(Limits.DEFAULT.withMaxConnections(20)).backend(echo.spec()).build()));
        int port = Clients.port(lb.localAddress());
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            clients.add(keep(Clients.connect("127.0.0.1", port)));
        }
        // Every client has connected, so each is either accepted or in the backlog: the sum is 60.
        Await.value("20 accepted and 40 waiting", () -> lb.activeConnections() + " accepted, " + waiting(port)
                + " waiting", "20 accepted, 40 waiting"::equals);
        assertThat(echo.accepted()).isLessThanOrEqualTo(20);
        try {
            clients.get(0).close(); // accepted first, as the backlog is a queue
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.value("one more accepted", () -> lb.activeConnections() + " accepted, " + waiting(port) + " waiting",
                "20 accepted, 39 waiting"::equals);
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
}
