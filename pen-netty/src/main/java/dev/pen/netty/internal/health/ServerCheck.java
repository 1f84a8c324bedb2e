package dev.pen.netty.internal.health;

import dev.pen.api.Address;
import dev.pen.api.CheckResult;
import dev.pen.api.HealthCheck;
import dev.pen.netty.internal.select.BackendLive;
import dev.pen.netty.internal.select.BackendSlot;
import dev.pen.netty.internal.select.StateEvents;
import dev.pen.netty.internal.transport.ChosenTransport;
import dev.pen.netty.internal.transport.LocalErrors;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The active health check of one server, on one event loop: one check at a time, each bounded by the timeout,
 * the next starting {@code inter} after the last one started ({@code fastinter} while the server is going up or
 * down), or as soon as it ended when it took longer. {@code fall} failures in a row take the server down,
 * {@code rise} passes in a row bring it back (with slow start when set). Only a change of state reaches the
 * listeners, so a server that keeps failing is told of once. A check this machine could not make (no descriptor,
 * no local port free) says nothing of the server: it counts neither way, and the next one follows {@code fastinter}
 * later.
 */
final class ServerCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCheck.class);
    private final HealthCheck.Resolved settings;
    private final EventLoop loop;
    private final ChosenTransport transport;
    private final StateEvents events;
    private final byte[] request;
    private volatile BackendSlot slot;
    private volatile boolean stopped;
    // Owned by the event loop.
    private ScheduledFuture<?> nextCheck;
    private int passes;
    private int failures;

    ServerCheck(BackendSlot slot, HealthCheck.Resolved settings, EventLoop loop, ChosenTransport transport,
            StateEvents events) {
        this.slot = slot;
        this.settings = settings;
        this.loop = loop;
        this.transport = transport;
        this.events = events;
        this.request = settings.kind() == HealthCheck.Kind.HTTP ? request(settings.path(), slot.backend().address())
                : null;
    }

    /** {@code GET path} with the server's name as {@code Host}, closing after the answer. */
    static byte[] request(String path, Address address) {
        String host;
        if (address.isUnix()) {
            host = "localhost";
        } else {
            String h = address.host().indexOf(':') >= 0 ? "[" + address.host() + "]" : address.host();
            host = address.port() == 80 ? h : h + ":" + address.port();
        }
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: pen-health-check\r\nAccept: */*\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    HealthCheck.Resolved settings() {
        return settings;
    }

    SocketAddress address() {
        return slot.address();
    }

    EventLoop loop() {
        return loop;
    }

    /** The server's slot was replaced by one with the same address and settings (its limits changed, say). */
    void retarget(BackendSlot newSlot) {
        slot = newSlot;
    }

    /** Checks at once, then on schedule. */
    void start() {
        try {
            loop.execute(this::check);
        } catch (RejectedExecutionException e) {
            stopped = true;
        }
    }

    /** No check starts after this, and the outcome of one in flight is not recorded. */
    void stop() {
        stopped = true;
        try {
            loop.execute(() -> {
                if (nextCheck != null) {
                    nextCheck.cancel(false);
                }
            });
        } catch (RejectedExecutionException e) {
            // The event loops are shutting down: nothing will run.
        }
    }

    private void check() {
        if (!stopped) {
            new Attempt(System.nanoTime()).begin();
        }
    }

    /** A check that could not be made here, on the event loop: the server's state and counts stay as they are. */
    private void notMade(long startedNanos) {
        if (!stopped) {
            long delay = Math.max(0, startedNanos + settings.fastInter().toNanos() - System.nanoTime());
            nextCheck = loop.schedule(this::check, delay, TimeUnit.NANOSECONDS);
        }
    }

    /** One check's outcome, on the event loop. */
    private void completed(long startedNanos, boolean passed, String detail) {
        if (stopped) {
            return;
        }
        BackendSlot s = slot;
        BackendLive live = s.live();
        boolean wasDown = live.down();
        boolean nowDown = wasDown;
        if (passed) {
            failures = 0;
            if (wasDown && ++passes >= settings.rise()) {
                nowDown = false;
                passes = 0;
            }
        } else {
            passes = 0;
            if (!wasDown && ++failures >= settings.fall()) {
                nowDown = true;
                failures = 0;
            }
        }
        live.checked(new CheckResult(passed, detail, System.currentTimeMillis()), nowDown);
        if (wasDown && !nowDown) {
            if (!settings.slowStart().isZero()) {
                live.startSlowStart(System.nanoTime(), settings.slowStart().toNanos());
            }
            events.refresh(s, "check passed: " + detail);
        } else if (!wasDown && nowDown) {
            events.refresh(s, "check failed: " + detail);
        }
        boolean settled = nowDown ? passes == 0 : failures == 0;
        long interval = (settled ? settings.inter() : settings.fastInter()).toNanos();
        long delay = Math.max(0, startedNanos + interval - System.nanoTime());
        nextCheck = loop.schedule(this::check, delay, TimeUnit.NANOSECONDS);
    }

    /** One check: a connect, and for HTTP a request and its status line, within the timeout. */
    final class Attempt implements ChannelFutureListener {
        private final long startedNanos;
        private Channel channel;
        private ScheduledFuture<?> deadline;
        private boolean done;

        Attempt(long startedNanos) {
            this.startedNanos = startedNanos;
        }

        void begin() {
            SocketAddress address = slot.address();
            long timeoutMillis = settings.timeout().toMillis();
            ChannelHandler handler = request != null ? new HttpStatusProbe(this, request) : new Quiet(this);
            Bootstrap b = new Bootstrap().group(loop)
                    .channel(ChosenTransport.isUnix(address) ? transport.domainChannel() : transport.socketChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                    .handler(handler);
            deadline = loop.schedule(() -> finish(false, "timeout after " + timeoutMillis + " ms"), timeoutMillis,
                    TimeUnit.MILLISECONDS);
            ChannelFuture f = b.connect(address);
            channel = f.channel();
            f.addListener(this);
        }

        @Override
        public void operationComplete(ChannelFuture f) {
            if (!f.isSuccess() && LocalErrors.isLocal(f.cause())) {
                LOG.debug("server {}: check not made here: {}", slot.index(), reason(f.cause()));
                abandon();
            } else if (!f.isSuccess()) {
                finish(false, "connect failed: " + reason(f.cause()));
            } else if (request == null) {
                finish(true, "connected");
            }
            // HTTP: the probe sends the request once active, and finishes on the status line.
        }

        /** Ends this check once: closes its connection and records the outcome. */
        void finish(boolean passed, String detail) {
            if (end()) {
                completed(startedNanos, passed, detail);
            }
        }

        /** Ends this check once without an outcome: the connect failed for want of something on this machine. */
        void abandon() {
            if (end()) {
                notMade(startedNanos);
            }
        }

        private boolean end() {
            if (done) {
                return false;
            }
            done = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
            // A channel that could not be made (no descriptor) was never registered, and has nothing to close.
            if (channel != null && channel.isRegistered()) {
                channel.close();
            }
            return true;
        }
    }

    static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        String m = cause.getMessage();
        return m == null ? cause.getClass().getSimpleName() : m;
    }

    /** A TCP check's connection: whatever the server says is dropped, and an error ends the check. */
    private static final class Quiet extends ChannelInboundHandlerAdapter {
        private final Attempt attempt;

        Quiet(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.finish(false, reason(cause));
        }
    }
}
