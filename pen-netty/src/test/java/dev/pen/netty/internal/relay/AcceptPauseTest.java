package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.TestAccess;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Transports;
import io.netty.channel.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failed accept (the transport reports it as an exception on the listener, as when no descriptor is left) stops
 * accepting for a moment, so that a listener socket that stays ready is not retried in a loop, and starts again
 * soon: within a fraction of the second that Netty's own acceptor would wait.
 */
class AcceptPauseTest {
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void failedAcceptPausesAcceptingForAMomentOnly(Transport transport) throws Exception {
        NamedBackend backend = resources.keep(new NamedBackend("a"));
        Balancer lb = resources.keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0")
                .transport(transport).backend(backend.spec()).build()));
        Channel listener = TestAccess.context(lb).gate().listener();
        boolean pausedAtOnce = listener.eventLoop().submit(() -> {
            listener.pipeline().fireExceptionCaught(new IOException("accept(..) failed: Too many open files"));
            return !listener.config().isAutoRead();
        }).get();
        assertThat(pausedAtOnce).as("accepting paused by the failed accept").isTrue();
        Await.until("accepting again", Duration.ofMillis(500), () -> listener.config().isAutoRead());
    }
}
