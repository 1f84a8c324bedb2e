package dev.pen.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.AccessList;
import dev.pen.api.Backend;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.Strategy;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every kind of setting changed through {@link Balancer#update} while clients keep coming. */
class BalancerUpdateTest {
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private Balancer balancer(String... backends) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0");
        for (String spec : backends) {
            b.backend(spec);
        }
        return keep(NettyBalancer.start(b.build()));
    }

    private static UnaryOperator<BalancerConfig> change(UnaryOperator<BalancerConfig.Builder> edit) {
        return c -> edit.apply(c.toBuilder()).build();
    }

    /** Clients connecting one after another from two threads until stopped; each must get a greeting. */
    private final class Load implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger served = new AtomicInteger();
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads;

        Load(Balancer lb) {
            threads = List.of(thread(lb, "127.0.0.11"), thread(lb, "127.0.0.12"));
            threads.forEach(Thread::start);
        }

        private Thread thread(Balancer lb, String from) {
            return new Thread(() -> {
                while (running.get()) {
                    String greeting;
                    try {
                        greeting = Clients.greeting(from, Clients.port(lb.localAddress()));
                    } catch (RuntimeException e) {
                        greeting = null;
                    }
                    if (greeting == null) {
                        failures.add("no greeting for a client of " + from + " with " + lb.config());
                    } else {
                        served.incrementAndGet();
                    }
                }
            }, "load " + from);
        }

        /** Lets at least {@code n} more clients be served after {@code what}. */
        void carryOn(int n, String what) {
            int target = served.get() + n;
            Await.until(n + " more clients served after " + what, () -> served.get() >= target);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    @Test
    void changesThatRefuseNoClientFailNoRequest() throws Exception {
        NamedBackend a = keep(new NamedBackend("a"));
        NamedBackend b = keep(new NamedBackend("b"));
        NamedBackend c = keep(new NamedBackend("c"));
        Balancer lb = balancer(a.spec(), b.spec());
        Load load = keep(new Load(lb));
        load.carryOn(20, "the start");
        List<UnaryOperator<BalancerConfig>> changes = List.of(
                change(x -> x.backend(Backend.parse(c.spec(), 80))),
                change(x -> x.backend(0, Backend.parse(a.spec(), 80).withWeight(3))),
                change(x -> x.modes(Modes.DEFAULT.withWeight(true))),
                change(x -> x.modes(Modes.DEFAULT.withHash(true).withRoundRobin(true))),
                change(x -> x.modes(Modes.DEFAULT.withPrio(true))),
                change(x -> x.limits(Limits.DEFAULT.withConnectTimeout(Duration.ofSeconds(1))
                        .withBlacklistTime(Duration.ofSeconds(5)).withTrackingTime(Duration.ofSeconds(30))
                        .withClientTableSize(16).withMaxConnections(800))),
                change(x -> x.strategy(Strategy.roundRobin())),
                change(x -> x.tcpNoDelay(false)),
                change(x -> x.http(true)),
                change(x -> x.emergency(Backend.parse(c.spec(), 80)).abuse(Backend.parse(b.spec(), 80))),
                change(x -> x.accessList(3, AccessList.empty().with(AccessList.Entry.parse("deny", "10.0.0.1", null)))
                        .clientAcl(3)),
                change(x -> x.backend(1, null)),
                change(x -> x.modes(Modes.DEFAULT).strategy(Strategy.penModes())));
        for (int i = 0; i < changes.size(); i++) {
            lb.update(changes.get(i));
            load.carryOn(10, "change " + i + ": " + lb.config());
        }
        load.close();
        assertThat(load.failures).isEmpty();
        assertThat(lb.config().backends()).extracting(x -> x == null ? null : x.address().port())
                .containsExactly(a.port(), null, c.port());
        assertThat(lb.config().backend(0).orElseThrow().weight()).hasValue(3);
    }

    @Test
    void aBackendKeptAtItsIndexKeepsItsFiguresAndConnections() throws Exception {
        NamedBackend a = keep(new NamedBackend("a"));
        Balancer lb = balancer(a.spec());
        Socket held = held(Clients.port(lb.localAddress()));
        lb.update(change(x -> x.backend(0, Backend.parse(a.spec(), 80).withMaxConnections(5))));
        assertThat(lb.backend(0).orElseThrow().activeConnections()).isEqualTo(1);
        assertThat(lb.backend(0).orElseThrow().totalConnections()).isEqualTo(1);
        assertEchoes(held);
    }

    @Test
    void changesThatRefuseClientsApplyToNewConnectionsOnly() throws Exception {
        NamedBackend a = keep(new NamedBackend("a"));
        Balancer lb = balancer(a.spec());
        int port = Clients.port(lb.localAddress());
        Socket held = held(port);

        lb.update(change(x -> x.accessList(1, AccessList.empty()
                .with(AccessList.Entry.parse("deny", "127.0.0.3", null))).clientAcl(1)));
        assertThat(Clients.greeting("127.0.0.3", port)).as("a denied client").isNull();
        assertThat(Clients.greeting("127.0.0.4", port)).isEqualTo("a");
        assertEchoes(held);

        lb.update(change(x -> x.backend(1, Backend.of("127.0.0.1", Clients.closedPort())).clientAcl(0)
                .modes(Modes.DEFAULT.withStubborn(true).withRoundRobin(true))));
        assertThat(Clients.greeting("127.0.0.5", port)).as("round robin's next server is 1, which is down, and "
                + "a stubborn balancer does not fail over").isNull();
        assertEchoes(held);

        lb.update(change(x -> x.backend(1, null).modes(Modes.DEFAULT)
                .limits(Limits.DEFAULT.withMaxConnections(1))));
        try (Socket waiting = Clients.connect("127.0.0.6", port)) {
            assertEchoes(held);
            held.close();
            assertThat(Clients.readLine(waiting)).as("served once the open connection ended").isEqualTo("a");
        }
    }

    @Test
    void aNewBacklogRebindsTheSameAddress() throws Exception {
        NamedBackend a = keep(new NamedBackend("a"));
        Balancer lb = balancer(a.spec());
        int port = Clients.port(lb.localAddress());
        Socket held = held(port);
        lb.update(change(x -> x.backlog(50)));
        assertThat(lb.config().backlog()).isEqualTo(50);
        assertThat(Clients.port(lb.localAddress())).isEqualTo(port);
        assertThat(Clients.greeting("127.0.0.3", port)).isEqualTo("a");
        assertEchoes(held);
    }

    @Test
    void aNewListenAddressKeepsOpenConnections() throws Exception {
        NamedBackend a = keep(new NamedBackend("a"));
        Balancer lb = balancer(a.spec());
        int oldPort = Clients.port(lb.localAddress());
        Socket held = held(oldPort);
        int newPort = Clients.closedPort();
        lb.update(change(x -> x.listen("127.0.0.1:" + newPort)));
        assertThat(Clients.port(lb.localAddress())).isEqualTo(newPort);
        assertThat(Clients.greeting("127.0.0.3", newPort)).isEqualTo("a");
        assertThatThrownBy(() -> new Socket("127.0.0.1", oldPort).close()).isInstanceOf(IOException.class);
        assertEchoes(held);
    }

    @Test
    void anOverlappingListenAddressMovesInPlace() throws Exception {
        NamedBackend a = keep(new NamedBackend("a"));
        int port = Clients.closedPort();
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen(Integer.toString(port))
                .backend(a.spec()).build()));
        Socket held = held(port);
        lb.update(change(x -> x.listen("127.0.0.1:" + port)));
        assertThat(lb.localAddress().toString()).isEqualTo("/127.0.0.1:" + port);
        assertThat(Clients.greeting("127.0.0.3", port)).isEqualTo("a");
        assertEchoes(held);
    }

    @Test
    void aRefusedUpdateLeavesTheRunningConfiguration() throws Exception {
        NamedBackend a = keep(new NamedBackend("a"));
        Balancer lb = balancer(a.spec());
        BalancerConfig before = lb.config();
        int port = Clients.port(lb.localAddress());

        assertThatThrownBy(() -> lb.update(change(x -> x.backend("nosuchhost.invalid:80").modes(
                Modes.DEFAULT.withStubborn(true)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown or invalid address [nosuchhost.invalid]");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> lb.update(change(x -> x.listen("127.0.0.1:" + taken.getLocalPort())
                    .modes(Modes.DEFAULT.withHash(true)))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("can't bind local address 127.0.0.1:" + taken.getLocalPort());
        }
        assertThatThrownBy(() -> lb.update(change(x -> x.udp(true))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("udp cannot change on a running balancer");

        assertThat(lb.config()).isEqualTo(before);
        assertThat(Clients.port(lb.localAddress())).isEqualTo(port);
        assertThat(Clients.greeting("127.0.0.2", port)).isEqualTo("a");
    }

    /** A connection from 127.0.0.2 to {@code port}, greeted by backend a and kept open. */
    private Socket held(int port) {
        Socket s = keep(Clients.connect("127.0.0.2", port));
        assertThat(Clients.readLine(s)).isEqualTo("a");
        return s;
    }

    private static void assertEchoes(Socket s) throws IOException {
        s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(Clients.readLine(s)).isEqualTo("ping");
    }
}
