package dev.pen.netty;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.BalancerProvider;

/** Lets {@link Balancer#start(BalancerConfig)} find {@link NettyBalancer}. */
public final class NettyBalancerProvider implements BalancerProvider {

    @Override
    public Balancer start(BalancerConfig config) {
        return NettyBalancer.start(config);
    }
}
