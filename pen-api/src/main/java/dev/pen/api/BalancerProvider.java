package dev.pen.api;

/**
 * The service an implementation registers (in {@code META-INF/services/dev.pen.api.BalancerProvider}) so that
 * {@link Balancer#start(BalancerConfig)} can find it.
 */
public interface BalancerProvider {

    /** Starts a balancer; see {@link Balancer#start(BalancerConfig)} for the errors. */
    Balancer start(BalancerConfig config);
}
