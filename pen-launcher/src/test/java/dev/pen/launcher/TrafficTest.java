package dev.pen.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The training run's traffic, through a real balancer in front of its echo backend on loopback. */
class TrafficTest {

    @Test
    void messagesComeBackWholeThroughTheBalancerForTheTimeGiven() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> Traffic.echo(backend), "test-echo");
            echo.setDaemon(true);
            echo.start();
            try (Balancer balancer = Balancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                    .backend("127.0.0.1:" + backend.getLocalPort()).build())) {
                int port = ((InetSocketAddress) balancer.localAddress()).getPort();
                long started = System.nanoTime();
                long answered = Traffic.run(port, 1);
                long tookMillis = (System.nanoTime() - started) / 1_000_000;

                assertThat(answered).as("messages answered in 1 s").isGreaterThan(100);
                assertThat(tookMillis).as("the run's length").isBetween(1_000L, 6_000L);
                assertThat(balancer.backends().get(0).totalConnections()).as("connections, held and new")
                        .isGreaterThan(10);
            }
        }
    }

    @Test
    void noTimeSendsNothing() throws Exception {
        assertThat(Traffic.run(1, 0)).isZero();
    }
}
