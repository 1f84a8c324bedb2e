package dev.pen.netty;

import dev.pen.api.Balancer;
import dev.pen.netty.internal.relay.RelayContext;

/** What this module's tests may look at inside a running {@link NettyBalancer}. */
public final class TestAccess {
    private TestAccess() {
    }

    /** The state the balancer's connections share. */
    public static RelayContext context(Balancer balancer) {
        return ((NettyBalancer) balancer).relayContext();
    }

    /** The listening channel. */
    public static io.netty.channel.Channel listener(Balancer balancer) {
        return ((NettyBalancer) balancer).listenerChannel();
    }
}
