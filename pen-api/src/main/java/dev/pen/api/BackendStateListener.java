package dev.pen.api;

/**
 * Hears every change of a backend's {@link BackendState}: down or up by its health checks, blacklisted after a
 * failed connect or by an operator and up again when that time is over, drained and undrained. Register one with
 * {@link BalancerConfig.Builder#stateListener(BackendStateListener)}.
 *
 * <p>Called on the balancer's own threads (an event loop, or the thread that drained or blacklisted), one change
 * of one backend at a time and in order; it must return quickly and never block. An exception it throws is
 * logged and ignored.
 */
@FunctionalInterface
public interface BackendStateListener {

    /** {@code change} happened. */
    void stateChanged(BackendStateChange change);
}
