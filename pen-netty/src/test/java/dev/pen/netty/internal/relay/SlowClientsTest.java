package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import java.net.Socket;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Slow clients holding every slot of -x: with the time limits set, a fresh client is served within them. */
class SlowClientsTest {
    private static final Logger LOG = LoggerFactory.getLogger(SlowClientsTest.class);
    private static final int SLOTS = 20;
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private Balancer fullBalancer(NamedBackend backend, UnaryOperator<BalancerConfig.Builder> limits,
            boolean sendAByte) throws Exception {
        Balancer lb = keep(NettyBalancer.start(limits.apply(BalancerConfig.builder().listen("127.0.0.1:0")
                .limits(Limits.DEFAULT.withMaxConnections(SLOTS)).backend(backend.spec())).build()));
        for (int i = 0; i < SLOTS; i++) {
            Socket s = keep(Clients.connect("127.0.0.2", Clients.port(lb.localAddress())));
            if (sendAByte) {
                s.getOutputStream().write('x'); // and then never a byte more, nor a read
            }
        }
        Await.until("every slot taken", () -> lb.activeConnections() == SLOTS);
        return lb;
    }

    /** Milliseconds until a fresh client gets the backend's greeting. */
    private static long millisToServeAFreshClient(Balancer lb) {
        long start = System.nanoTime();
        Socket fresh = Clients.connect("127.0.0.3", Clients.port(lb.localAddress()));
        try (fresh) {
            fresh.setSoTimeout(20_000);
            assertThat(Clients.readLine(fresh)).isEqualTo("echo");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void silentClientsInEverySlotGiveWayAfterTheFirstByteTimeout() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = fullBalancer(echo, b -> b.firstByteTimeout(Duration.ofSeconds(1)), false);
        long ms = millisToServeAFreshClient(lb);
        LOG.info("{} silent clients, first byte timeout 1 s: a fresh client served after {} ms", SLOTS, ms);
        assertThat(ms).isLessThan(5_000L);
    }

    @Test
    void idleClientsInEverySlotGiveWayAfterTheIdleTimeout() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = fullBalancer(echo, b -> b.idleTimeout(Duration.ofSeconds(1)), true);
        long ms = millisToServeAFreshClient(lb);
        LOG.info("{} idle clients, idle timeout 1 s: a fresh client served after {} ms", SLOTS, ms);
        assertThat(ms).isLessThan(5_000L);
    }
}
