package dev.pen.netty.internal.select;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.AccessList;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** pen's selection rules, each through a real balancer on loopback with in-process backends. */
class SelectionTest {
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private NamedBackend backend(String name) {
        NamedBackend b = new NamedBackend(name);
        resources.keep(b);
        return b;
    }

    private Balancer balancer(Consumer<BalancerConfig.Builder> settings, Object... backends) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0");
        for (Object o : backends) {
            b.backend(o instanceof NamedBackend n ? n.spec() : (String) o);
        }
        settings.accept(b);
        Balancer balancer = NettyBalancer.start(b.build());
        resources.keep(balancer);
        return balancer;
    }

    private static int port(Balancer b) {
        return Clients.port(b.localAddress());
    }

    @Test
    void firstNewClientGoesToServerOneAsInPen() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        Balancer lb = balancer(c -> { }, a, b);
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("b");
    }

    @Test
    void aSlotAtTheWildcardAddressTakesNoClientAsInPen() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        Balancer lb = balancer(c -> c.modes(Modes.DEFAULT.withRoundRobin(true)), a, b);
        lb.update(c -> c.toBuilder().backend(1, dev.pen.api.Backend.of("0.0.0.0", b.port())).build());
        for (int i = 0; i < 4; i++) {
            assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("a");
        }
        assertThat(b.accepted()).isZero();
    }

    @Test
    void aDrainingServersTrackedClientsChooseAgain() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        Balancer lb = balancer(c -> { }, a, b);
        assertThat(Clients.greeting("127.0.0.2", port(lb))).isEqualTo("b");
        lb.drainBackend(1, true);
        assertThat(Clients.greeting("127.0.0.2", port(lb))).isEqualTo("a");
        lb.drainBackend(1, false);
        assertThat(Clients.greeting("127.0.0.2", port(lb))).as("it now returns to its new server").isEqualTo("a");
    }

    @Test
    void returningClientGoesToItsLastServer() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        Balancer lb = balancer(c -> { }, a, b);
        String first = Clients.greeting("127.0.0.2", port(lb));
        for (int i = 0; i < 5; i++) {
            assertThat(Clients.greeting("127.0.0.2", port(lb))).isEqualTo(first);
        }
        assertThat(Clients.greeting("127.0.0.3", port(lb))).isNotEqualTo(first);
    }

    @Test
    void roundRobinModeAlternatesForOneClient() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        Balancer lb = balancer(c -> c.modes(Modes.DEFAULT.withRoundRobin(true)), a, b);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seen.add(Clients.greeting("127.0.0.1", port(lb)));
        }
        assertThat(seen).containsExactly("b", "a", "b", "a", "b");
    }

    @Test
    void hashGivesTheSameServersAfterARestart() throws Exception {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        NamedBackend c = backend("c");
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        Balancer first = balancer(s -> s.modes(Modes.DEFAULT.withHash(true)), a, b, c);
        for (int i = 1; i <= 8; i++) {
            before.add(Clients.greeting("127.0.0." + i, port(first)));
        }
        first.close();
        Balancer second = balancer(s -> s.modes(Modes.DEFAULT.withHash(true).withRoundRobin(false)), a, b, c);
        for (int i = 1; i <= 8; i++) {
            after.add(Clients.greeting("127.0.0." + i, port(second)));
        }
        assertThat(after).isEqualTo(before);
        assertThat(before).contains("a", "b", "c");
    }

    @Test
    void failoverGoesToTheNextServerAndBlacklistsTheDeadOne() {
        NamedBackend a = backend("a");
        NamedBackend c = backend("c");
        String dead = "127.0.0.1:" + Clients.closedPort();
        Balancer lb = balancer(s -> { }, a, dead, c);
        // The first new client is sent to server 1, which is dead: failover takes server 2.
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("c");
        assertThat(lb.backend(1).orElseThrow().state()).isEqualTo(dev.pen.api.BackendState.BLACKLISTED);
        assertThat(lb.backend(1).orElseThrow().lastFailureMillis()).isPositive();
    }

    @Test
    void failoverEndsAtTheEmergencyServerWhenEveryServerIsDead() {
        NamedBackend emergency = backend("emergency");
        String dead1 = "127.0.0.1:" + Clients.closedPort();
        String dead2 = "127.0.0.1:" + Clients.closedPort();
        Balancer lb = balancer(s -> s.emergency(emergency.spec()), dead1, dead2);
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("emergency");
        assertThat(Clients.greeting("127.0.0.2", port(lb))).isEqualTo("emergency");
    }

    @Test
    void clientWithNowhereToGoIsClosed() {
        String dead = "127.0.0.1:" + Clients.closedPort();
        Balancer lb = balancer(s -> { }, dead);
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isNull();
    }

    @Test
    void stubbornClosesInsteadOfFailingOver() {
        NamedBackend a = backend("a");
        String dead = "127.0.0.1:" + Clients.closedPort();
        Balancer lb = balancer(s -> s.modes(Modes.DEFAULT.withStubborn(true)), a, dead);
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isNull();
        // The client is tracked to the dead server and stays refused while it is dead.
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isNull();
    }

    @Test
    void blacklistExpiresAfterItsTime() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        Balancer lb = balancer(s -> s.modes(Modes.DEFAULT.withRoundRobin(true))
                .limits(Limits.DEFAULT.withBlacklistTime(Duration.ofMillis(300))), a, b);
        lb.blacklistBackend(0, Duration.ofMillis(400));
        for (int i = 0; i < 3; i++) {
            assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("b");
        }
        Await.until("blacklist of server 0 ends",
                () -> lb.backend(0).orElseThrow().state() == dev.pen.api.BackendState.UP);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(Clients.greeting("127.0.0.1", port(lb)));
        }
        assertThat(seen).contains("a", "b");
    }

    @Test
    void maxcLimitsNewClientsAndHardLetsAReturningOneExceedIt() throws Exception {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        // server 0 max 1 hard 2; server 1 max 1.
        Balancer lb = balancer(s -> { }, a.spec() + ":1:2", b.spec() + ":1");
        Socket first = hold("127.0.0.2", lb, "b"); // new client -> server 1 (round robin starts at 1)
        Socket second = hold("127.0.0.3", lb, "a"); // new client -> server 0
        Await.until("both servers at maxc", () -> lb.backend(0).orElseThrow().activeConnections() == 1
                && lb.backend(1).orElseThrow().activeConnections() == 1);
        // A new client: both servers are at maxc, no emergency -> closed.
        assertThat(Clients.greeting("127.0.0.4", port(lb))).isNull();
        // Returning client of server 0 may go up to hard (2) ...
        Socket third = hold("127.0.0.3", lb, "a");
        Await.until("server 0 at hard", () -> lb.backend(0).orElseThrow().activeConnections() == 2);
        // ... but not beyond, and returning client of server 1 (hard 0) gets nothing more.
        assertThat(Clients.greeting("127.0.0.3", port(lb))).isNull();
        assertThat(Clients.greeting("127.0.0.2", port(lb))).isNull();
        first.close();
        second.close();
        third.close();
    }

    private Socket hold(String from, Balancer lb, String expected) {
        Socket s = Clients.connect(from, port(lb));
        resources.keep(s);
        assertThat(Clients.readLine(s)).isEqualTo(expected);
        return s;
    }

    @Test
    void deniedClientsGoToTheAbuseServer() {
        NamedBackend a = backend("a");
        NamedBackend abuse = backend("abuse");
        AccessList denyTwo = AccessList.empty().with(AccessList.Entry.parse("deny", "127.0.0.2", null));
        Balancer lb = balancer(s -> s.abuse(abuse.spec()).accessList(1, denyTwo).clientAcl(1), a);
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("a");
        assertThat(Clients.greeting("127.0.0.2", port(lb))).isEqualTo("abuse");
        assertThat(Clients.greeting("127.0.0.3", port(lb))).isEqualTo("a");
    }

    @Test
    void deniedClientWithoutAbuseServerIsClosed() {
        NamedBackend a = backend("a");
        AccessList permitOne = AccessList.empty().with(AccessList.Entry.parse("permit", "127.0.0.1", null));
        Balancer lb = balancer(s -> s.accessList(3, permitOne).clientAcl(3), a);
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("a");
        assertThat(Clients.greeting("127.0.0.2", port(lb))).isNull();
    }

    @Test
    void deniedClientWithoutAbuseServerNeverReachesTheEmergencyServer() {
        NamedBackend a = backend("a");
        NamedBackend emergency = backend("emergency");
        AccessList permitOne = AccessList.empty().with(AccessList.Entry.parse("permit", "127.0.0.1", null));
        Balancer lb = balancer(s -> s.accessList(3, permitOne).clientAcl(3).emergency(emergency.spec()), a);
        assertThat(Clients.greeting("127.0.0.2", port(lb))).isNull();
        assertThat(emergency.accepted()).isZero();
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("a");
    }

    @Test
    void serverAclSkipsTheServerForDeniedClients() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        AccessList onlyOne = AccessList.empty().with(AccessList.Entry.parse("permit", "127.0.0.1", null));
        Balancer lb = balancer(s -> s.accessList(2, onlyOne), a, b);
        lb.setBackend(1, lb.backend(1).orElseThrow().backend().withAcl(2));
        // 127.0.0.5 would get server 1 (the first new client), whose ACL denies it: failover to server 0.
        assertThat(Clients.greeting("127.0.0.5", port(lb))).isEqualTo("a");
    }

    @Test
    void trackingTimeMakesAnIdleClientChooseAfresh() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        Balancer lb = balancer(s -> s.limits(Limits.DEFAULT.withTrackingTime(Duration.ofMillis(300))), a, b);
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("b");
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("b");
        long since = System.nanoTime();
        Await.until("tracking time passes", () -> System.nanoTime() - since > Duration.ofMillis(400).toNanos());
        // Forgotten: a new round-robin choice, which moves on from server 1 to server 0.
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("a");
    }

    @Test
    void clientTableForgetsTheLeastRecentlyUsedClientWhenFull() {
        NamedBackend a = backend("a");
        NamedBackend b = backend("b");
        Balancer lb = balancer(s -> s.limits(Limits.DEFAULT.withClientTableSize(2)), a, b);
        Clients.greeting("127.0.0.1", port(lb)); // b
        Clients.greeting("127.0.0.2", port(lb)); // a
        Clients.greeting("127.0.0.3", port(lb)); // b, evicts 127.0.0.1
        assertThat(lb.clients()).extracting(c -> c.address().getHostAddress())
                .containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
    }

    @Test
    void maxConnectionsPausesAcceptingAndResumesWhenOneEnds() throws Exception {
        NamedBackend a = backend("a");
        Balancer lb = balancer(s -> s.limits(Limits.DEFAULT.withMaxConnections(2)), a);
        Socket one = hold("127.0.0.1", lb, "a");
        Socket two = hold("127.0.0.1", lb, "a");
        // The third connects (kernel backlog) but is not accepted, so it gets no greeting until one ends.
        Socket three = Clients.connect("127.0.0.1", port(lb));
        resources.keep(three);
        three.setSoTimeout(300);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> three.getInputStream().read())
                .as("no greeting while at the limit").isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(a.accepted()).isEqualTo(2);
        one.close();
        three.setSoTimeout(10_000);
        assertThat(Clients.readLine(three)).isEqualTo("a");
        two.close();
    }
}
