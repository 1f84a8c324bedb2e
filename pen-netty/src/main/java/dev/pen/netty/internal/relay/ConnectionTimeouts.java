package dev.pen.netty.internal.relay;

import dev.pen.api.BalancerConfig;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time limits of one relayed connection: the first byte timeout (the client has sent nothing since it was
 * accepted) and the idle timeout (no byte either way). One task on the connection's event loop checks them, at
 * most four times per idle timeout; the relay itself does nothing for them, as the byte counts it keeps already
 * show whether the connection moves. A connection with neither limit has no task.
 */
final class ConnectionTimeouts implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTimeouts.class);

    /** The limits of the connections accepted under one configuration; zero turns a limit off. */
    record Limits(long firstByteNanos, long idleNanos, int handshakeMillis) {
        static final Limits NONE = new Limits(0, 0, (int) BalancerConfig.DEFAULT_HANDSHAKE_TIMEOUT.toMillis());

        static Limits of(BalancerConfig c) {
            return new Limits(c.firstByteTimeout().toNanos(), c.idleTimeout().toNanos(),
                    (int) Math.min(Integer.MAX_VALUE, c.handshakeTimeout().toMillis()));
        }

        /** How long a trusted client's PROXY header may take: the first byte timeout, or its default when off. */
        long proxyHeaderNanos() {
            return firstByteNanos > 0 ? firstByteNanos : BalancerConfig.DEFAULT_FIRST_BYTE_TIMEOUT.toNanos();
        }

        boolean any() {
            return firstByteNanos > 0 || idleNanos > 0;
        }
    }

    private final RelayConnection connection;
    private final Limits limits;
    private long seenProgress;
    private long movedAtNanos;
    private ScheduledFuture<?> next;

    private ConnectionTimeouts(RelayConnection connection, Limits limits) {
        this.connection = connection;
        this.limits = limits;
        this.movedAtNanos = connection.acceptedAtNanos();
    }

    /** Starts checking {@code connection}'s limits; null when it has none. Call on its event loop. */
    static ConnectionTimeouts start(RelayConnection connection, Limits limits) {
        if (!limits.any()) {
            return null;
        }
        ConnectionTimeouts t = new ConnectionTimeouts(connection, limits);
        t.schedule(System.nanoTime());
        return t;
    }

    /** The connection ended: no more checks. */
    void cancel() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    @Override
    public void run() {
        next = null;
        long now = System.nanoTime();
        long progress = connection.progress();
        if (progress != seenProgress) {
            seenProgress = progress;
            movedAtNanos = now;
        }
        if (waitingForFirstByte() && now - connection.acceptedAtNanos() >= limits.firstByteNanos()) {
            LOG.debug("connection {}: no byte from the client in {} ms, closing it", connection.id(),
                    TimeUnit.NANOSECONDS.toMillis(limits.firstByteNanos()));
            connection.clientChannel().close();
        } else if (limits.idleNanos() > 0 && now - movedAtNanos >= limits.idleNanos()) {
            LOG.debug("connection {}: idle for {} ms, closing it", connection.id(),
                    TimeUnit.NANOSECONDS.toMillis(limits.idleNanos()));
            connection.clientChannel().close();
        } else {
            schedule(now);
        }
    }

    private boolean waitingForFirstByte() {
        return limits.firstByteNanos() > 0 && !connection.clientSentAnything();
    }

    private void schedule(long now) {
        long at = Long.MAX_VALUE;
        if (waitingForFirstByte()) {
            at = connection.acceptedAtNanos() + limits.firstByteNanos();
        }
        if (limits.idleNanos() > 0) {
            // A check every quarter of the timeout: a connection is closed after idling 1 to 1.25 times it.
            at = Math.min(at, Math.min(movedAtNanos + limits.idleNanos(), now + Math.max(1, limits.idleNanos() / 4)));
        }
        if (at != Long.MAX_VALUE) {
            next = connection.clientChannel().eventLoop().schedule(this, Math.max(0, at - now), TimeUnit.NANOSECONDS);
        }
    }
}
