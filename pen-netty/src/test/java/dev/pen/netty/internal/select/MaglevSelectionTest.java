package dev.pen.netty.internal.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Strategy;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Maglev through real balancers on loopback with in-process backends. */
class MaglevSelectionTest {
    private static final int CLIENTS = 40;
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private List<NamedBackend> backends(String... names) {
        List<NamedBackend> list = new ArrayList<>();
        for (String name : names) {
            NamedBackend b = new NamedBackend(name);
            resources.keep(b);
            list.add(b);
        }
        return list;
    }

    private Balancer maglev(List<NamedBackend> servers) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0").strategy(Strategy.maglev());
        servers.forEach(s -> b.backend(s.spec()));
        Balancer balancer = NettyBalancer.start(b.build());
        resources.keep(balancer);
        return balancer;
    }

    /** The server each of the clients 127.0.0.2, 127.0.0.3... reaches through {@code lb}. */
    private static List<String> serversOfClients(Balancer lb) {
        int port = Clients.port(lb.localAddress());
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            seen.add(Clients.greeting("127.0.0." + (2 + i), port));
        }
        return seen;
    }

    @Test
    void threeBalancersGivenTheServersInDifferentOrdersSendEveryClientToTheSameServer() {
        List<NamedBackend> s = backends("a", "b", "c", "d", "e");
        List<String> first = serversOfClients(maglev(s));
        List<String> second = serversOfClients(maglev(List.of(s.get(4), s.get(3), s.get(2), s.get(1), s.get(0))));
        List<String> third = serversOfClients(maglev(List.of(s.get(2), s.get(0), s.get(4), s.get(1), s.get(3))));
        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(first).doesNotContainNull().contains("a", "b", "c", "d", "e");
    }

    @Test
    void aBlacklistedServerMovesOnlyItsClientsWhoReturnWhenItDoes() {
        Balancer lb = maglev(backends("a", "b", "c", "d"));
        List<String> before = serversOfClients(lb);
        assertThat(serversOfClients(lb)).as("again, the same").isEqualTo(before);
        lb.blacklistBackend(1, Duration.ofMinutes(1));
        List<String> during = serversOfClients(lb);
        for (int i = 0; i < CLIENTS; i++) {
            if (before.get(i).equals("b")) {
                assertThat(during.get(i)).isNotNull().isNotEqualTo("b");
            } else {
                assertThat(during.get(i)).isEqualTo(before.get(i));
            }
        }
        assertThat(before).contains("b");
        lb.blacklistBackend(1, Duration.ZERO);
        // pen's client tracking would keep them on their failover server; Maglev does not track.
        assertThat(serversOfClients(lb)).isEqualTo(before);
    }

    @Test
    void aFailedServersClientsFailOverWhereAnotherBalancerSendsThemWhileItIsBlacklisted() {
        List<NamedBackend> s = backends("a", "b", "c", "d");
        Balancer told = maglev(s);
        Balancer failing = maglev(List.of(s.get(3), s.get(2), s.get(1), s.get(0)));
        List<String> before = serversOfClients(told);
        told.blacklistBackend(2, Duration.ofMinutes(1));
        List<String> expected = serversOfClients(told);
        s.get(2).stopListening();
        // The first of c's clients finds it down, fails over and blacklists it; the others go where told sends them.
        assertThat(serversOfClients(failing)).isEqualTo(expected);
        assertThat(expected).isNotEqualTo(before);
    }

    @Test
    void aBalancerSwitchedToMaglevByAnUpdateAgreesWithOneStartedWithIt() {
        List<NamedBackend> s = backends("a", "b", "c");
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0");
        s.forEach(x -> b.backend(x.spec()));
        Balancer pen = NettyBalancer.start(b.build());
        resources.keep(pen);
        serversOfClients(pen);
        pen.update(c -> c.toBuilder().strategy(Strategy.maglev()).build());
        assertThat(serversOfClients(pen)).isEqualTo(serversOfClients(maglev(s)));
    }
}
