package dev.pen.netty.internal.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.BackendStateChange;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.CheckResult;
import dev.pen.api.HealthCheck;
import dev.pen.api.Limits;
import dev.pen.api.Modes;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.StatusBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Active health checks through a real balancer on loopback with in-process backends that stop, start again, or
 * answer with a chosen HTTP status. Intervals of 100 ms keep the tests short; the bounds allow a scheduling
 * margin for a busy machine, and each measured time is printed.
 */
class HealthCheckTest {
    private static final Duration INTER = Duration.ofMillis(100);
    /**
     * What a busy machine may add to a check's schedule: the tests share two cores with other builds, where a
     * thread may wait a second for its turn. On an idle machine the times printed stay within the bounds.
     */
    private static final long MARGIN_MILLIS = 1000;
    private static final HealthCheck TCP = HealthCheck.tcp().withInter(INTER).withRise(2).withFall(3);

    private final Closer resources = new Closer();
    private final List<BackendStateChange> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    /** A balancer with {@code backends}, each a server spec or a {@link Backend}, in slot order. */
    private Balancer balancer(Consumer<BalancerConfig.Builder> settings, Object... backends) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0").stateListener(changes::add);
        for (Object backend : backends) {
            if (backend instanceof Backend be) {
                b.backend(be);
            } else {
                b.backend((String) backend);
            }
        }
        settings.accept(b);
        return keep(NettyBalancer.start(b.build()));
    }

    private static int port(Balancer b) {
        return Clients.port(b.localAddress());
    }

    private static BackendStats stats(Balancer lb, int index) {
        return lb.backend(index).orElseThrow();
    }

    private static void awaitChecked(Balancer lb, int index) {
        Await.until("a check of server " + index, () -> stats(lb, index).lastCheck() != null);
    }

    /** Waits for {@code state} and returns how long it took from {@code sinceNanos}, in ms. */
    private static long awaitState(Balancer lb, int index, BackendState state, long sinceNanos) {
        Await.value("server " + index + " " + state, () -> stats(lb, index), s -> s.state() == state);
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    @ParameterizedTest
    @MethodSource("dev.pen.netty.testing.Transports#available")
    void serverThatStopsAnsweringIsDownWithinFallTimesInterAndGetsNoNewClients(Transport transport) {
        NamedBackend a = keep(new NamedBackend("a"));
        NamedBackend b = keep(new NamedBackend("b"));
        Balancer lb = balancer(c -> c.transport(transport).healthCheck(TCP), a.spec(), b.spec());
        assertThat(Clients.greeting("127.0.0.2", port(lb))).as("pen's first new client goes to server 1").isEqualTo("b");
        awaitChecked(lb, 1);

        long stopped = System.nanoTime();
        b.stopListening();
        long tookMillis = awaitState(lb, 1, BackendState.DOWN, stopped);
        System.out.println(transport + ": down " + tookMillis + " ms after it stopped (fall 3 x inter 100 ms + "
                + "timeout 100 ms = 400 ms)");
        assertThat(tookMillis).isLessThanOrEqualTo(3 * 100 + 100 + MARGIN_MILLIS);

        assertThat(Clients.greeting("127.0.0.2", port(lb))).as("its tracked client chooses again").isEqualTo("a");
        for (int i = 3; i <= 6; i++) {
            assertThat(Clients.greeting("127.0.0." + i, port(lb))).as("new client 127.0.0." + i).isEqualTo("a");
        }
        assertThat(stats(lb, 1).lastFailureMillis()).as("no client was sent to the down server").isZero();
        assertThat(stats(lb, 1).lastCheck().passed()).isFalse();
    }

    @Test
    void recoveredServerIsBackWithinRiseTimesInterWithoutOperatorAction() {
        NamedBackend a = keep(new NamedBackend("a"));
        NamedBackend b = keep(new NamedBackend("b"));
        Balancer lb = balancer(c -> c.healthCheck(TCP).modes(Modes.DEFAULT.withRoundRobin(true)), a.spec(), b.spec());
        b.stopListening();
        awaitState(lb, 1, BackendState.DOWN, System.nanoTime());

        long restarted = System.nanoTime();
        b.listenAgain();
        long tookMillis = awaitState(lb, 1, BackendState.UP, restarted);
        System.out.println("up " + tookMillis + " ms after it listened again (rise 2 x inter 100 ms = 200 ms)");
        assertThat(tookMillis).isLessThanOrEqualTo(2 * 100 + MARGIN_MILLIS);

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(Clients.greeting("127.0.0.1", port(lb)));
        }
        assertThat(seen).contains("a", "b");
    }

    @Test
    void httpCheckOfAServerAnswering500MarksItDown() {
        StatusBackend web = keep(new StatusBackend());
        NamedBackend other = keep(new NamedBackend("other"));
        // A first check in a fresh JVM may take longer than 100 ms: the timeout is not what this test is about.
        Balancer lb = balancer(c -> c.healthCheck(HealthCheck.http("/health").withInter(INTER).withFall(2)
                .withTimeout(Duration.ofSeconds(2))),
                Backend.parse(other.spec(), 0).withHealthCheck(HealthCheck.off()), web.spec());
        Await.value("a passed check", () -> stats(lb, 1).lastCheck(), r -> r != null && r.passed());
        assertThat(stats(lb, 1).lastCheck()).extracting(CheckResult::passed, CheckResult::detail)
                .containsExactly(true, "HTTP 200");
        assertThat(web.lastRequestLine()).isEqualTo("GET /health HTTP/1.1");
        assertThat(web.lastHost()).isEqualTo(web.spec());

        web.status(500);
        awaitState(lb, 1, BackendState.DOWN, System.nanoTime());
        assertThat(stats(lb, 1).lastCheck().detail()).isEqualTo("HTTP 500");
        assertThat(Clients.greeting("127.0.0.2", port(lb))).isEqualTo("other");
    }

    @Test
    void httpCheckPassesOnARedirect() {
        StatusBackend web = keep(new StatusBackend());
        web.status(302);
        Balancer lb = balancer(c -> c.healthCheck(HealthCheck.http("/").withInter(INTER).withFall(1)
                .withTimeout(Duration.ofSeconds(2))), web.spec());
        Await.value("three checks", () -> web.requests(), n -> n >= 3);
        assertThat(stats(lb, 0).state()).isEqualTo(BackendState.UP);
        assertThat(stats(lb, 0).lastCheck().detail()).isEqualTo("HTTP 302");
    }

    @Test
    void serverThatAcceptsButNeverAnswersFailsItsChecksByTheTimeout() {
        StatusBackend web = keep(new StatusBackend());
        web.silent(true);
        Balancer lb = balancer(c -> c.healthCheck(HealthCheck.http("/").withInter(INTER)
                .withTimeout(Duration.ofMillis(150)).withFall(1)), web.spec());
        awaitState(lb, 0, BackendState.DOWN, System.nanoTime());
        assertThat(stats(lb, 0).lastCheck().detail()).isEqualTo("timeout after 150 ms");
    }

    @Test
    void slowStartGrowsTheShareOfNewClientsOverTheSetTime() {
        NamedBackend a = keep(new NamedBackend("a"));
        NamedBackend b = keep(new NamedBackend("b"));
        Duration slowStart = Duration.ofSeconds(3);
        Balancer lb = balancer(c -> c.healthCheck(TCP.withRise(1).withSlowStart(slowStart))
                .modes(Modes.DEFAULT.withRoundRobin(true)), a.spec(), b.spec());
        b.stopListening();
        awaitState(lb, 1, BackendState.DOWN, System.nanoTime());
        b.listenAgain();
        BackendStateChange up = Await.value("server 1 back up", () -> changes.stream()
                .filter(ch -> ch.index() == 1 && ch.current() == BackendState.UP).findFirst().orElse(null),
                ch -> ch != null);
        long upMillis = up.atMillis();

        // Every connection is a new client in round robin mode; sort them by the third of the ramp they fell in.
        int[] toB = new int[3];
        int[] all = new int[3];
        long now;
        while ((now = System.currentTimeMillis()) < upMillis + slowStart.toMillis()) {
            int third = (int) Math.min(2, 3 * (now - upMillis) / slowStart.toMillis());
            String name = Clients.greeting("127.0.0.1", port(lb));
            all[third]++;
            if ("b".equals(name)) {
                toB[third]++;
            }
        }
        double first = (double) toB[0] / all[0];
        double last = (double) toB[2] / all[2];
        System.out.printf("slow start: server b took %d of %d, %d of %d, %d of %d new clients in each third%n",
                toB[0], all[0], toB[1], all[1], toB[2], all[2]);
        assertThat(java.util.Arrays.stream(all).min().orElse(0)).as("clients in the emptiest third").isGreaterThanOrEqualTo(10);
        assertThat(first).as("share in the first third").isLessThan(0.2);
        assertThat(last).as("share in the last third").isGreaterThan(0.25).isGreaterThan(first);
    }

    @Test
    void listenersHearEachStateChangeOnceWithItsReason() {
        NamedBackend a = keep(new NamedBackend("a"));
        NamedBackend b = keep(new NamedBackend("b"));
        Balancer lb = balancer(c -> c.healthCheck(TCP), a.spec(), b.spec());
        b.stopListening();
        awaitState(lb, 1, BackendState.DOWN, System.nanoTime());
        long downAt = System.currentTimeMillis();
        Await.value("three more failed checks", () -> stats(lb, 1).lastCheck(),
                r -> r.atMillis() > downAt + 3 * INTER.toMillis());
        b.listenAgain();
        awaitState(lb, 1, BackendState.UP, System.nanoTime());
        // Listeners hear each server's changes in order, but no order between servers: the drain comes after.
        Await.until("server 1's two changes heard", () -> changes.size() >= 2);
        lb.drainBackend(0, true);
        lb.drainBackend(0, false);

        Await.until("four changes", () -> changes.size() >= 4);
        assertThat(changes).extracting(BackendStateChange::index, BackendStateChange::previous,
                BackendStateChange::current).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, BackendState.UP, BackendState.DOWN),
                        org.assertj.core.groups.Tuple.tuple(1, BackendState.DOWN, BackendState.UP),
                        org.assertj.core.groups.Tuple.tuple(0, BackendState.UP, BackendState.DRAINING),
                        org.assertj.core.groups.Tuple.tuple(0, BackendState.DRAINING, BackendState.UP));
        assertThat(changes.get(0).reason()).startsWith("check failed: connect failed: ");
        assertThat(changes.get(1).reason()).isEqualTo("check passed: connected");
        assertThat(changes.get(2).reason()).isEqualTo("drained");
    }

    @Test
    void listenersHearAFailedConnectsBlacklistAndItsEnd() {
        NamedBackend a = keep(new NamedBackend("a"));
        String dead = "127.0.0.1:" + Clients.closedPort();
        Balancer lb = balancer(c -> c.limits(Limits.DEFAULT.withBlacklistTime(Duration.ofMillis(200))), a.spec(), dead);
        assertThat(Clients.greeting("127.0.0.1", port(lb))).isEqualTo("a");
        Await.until("the blacklist's end", () -> changes.size() >= 2);
        assertThat(changes).extracting(BackendStateChange::index, BackendStateChange::current)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, BackendState.BLACKLISTED),
                        org.assertj.core.groups.Tuple.tuple(1, BackendState.UP));
        assertThat(changes.get(0).reason()).startsWith("connect failed: ");
        assertThat(changes.get(1).reason()).isEqualTo("blacklist time over");
        assertThat(changes.get(1).atMillis() - changes.get(0).atMillis()).isGreaterThanOrEqualTo(190);
    }

    @Test
    void aServersOwnSettingsLieOverTheBalancers() {
        NamedBackend a = keep(new NamedBackend("a"));
        String dead = "127.0.0.1:" + Clients.closedPort();
        Balancer lb = balancer(c -> c.healthCheck(TCP), a.spec());
        lb.addBackend(Backend.parse(dead, 0).withHealthCheck(HealthCheck.off()));
        awaitChecked(lb, 0);
        long since = System.currentTimeMillis();
        Await.value("more checks of server 0", () -> stats(lb, 0).lastCheck(),
                r -> r.atMillis() > since + 2 * INTER.toMillis());
        assertThat(stats(lb, 1).lastCheck()).as("server 1 is not checked").isNull();
        assertThat(stats(lb, 1).state()).isEqualTo(BackendState.UP);

        lb.update(c -> c.toBuilder().backend(1, c.backends().get(1).withHealthCheck(HealthCheck.NONE.withFall(1)))
                .build());
        awaitState(lb, 1, BackendState.DOWN, System.nanoTime());
    }

    @Test
    void turningChecksOffBringsADownServerBack() {
        NamedBackend a = keep(new NamedBackend("a"));
        String dead = "127.0.0.1:" + Clients.closedPort();
        Balancer lb = balancer(c -> c.healthCheck(TCP.withFall(1)), a.spec(), dead);
        awaitState(lb, 1, BackendState.DOWN, System.nanoTime());
        lb.update(c -> c.toBuilder().healthCheck(HealthCheck.NONE).build());
        assertThat(stats(lb, 1).state()).isEqualTo(BackendState.UP);
        assertThat(stats(lb, 1).lastCheck()).isNull();
        assertThat(changes).extracting(BackendStateChange::reason).endsWith("checks turned off");
    }
}
