package dev.pen.netty.internal.select;

import dev.pen.api.BackendState;
import dev.pen.api.BackendStateChange;
import dev.pen.api.BackendStateListener;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link BackendStateListener}s when a backend's state changes. Whatever may change a state (a check, a
 * failed connect, an operator's drain or blacklist) asks {@link #refresh}; the state is worked out again and the
 * listeners hear of it only when it differs from what they were last told, so each change is told once. The end
 * of a blacklist, which no event marks, is watched by a timer, only while anyone listens.
 */
public final class StateEvents {
    private static final Logger LOG = LoggerFactory.getLogger(StateEvents.class);
    /** No listeners, no timers. */
    public static final StateEvents NONE = new StateEvents(List::of, null);

    private final Supplier<List<BackendStateListener>> listeners;
    private final ScheduledExecutorService timers;

    /**
     * @param listeners who listens now (read at each change, so that a new configuration's listeners apply)
     * @param timers where the end of a blacklist is watched
     */
    public StateEvents(Supplier<List<BackendStateListener>> listeners, ScheduledExecutorService timers) {
        this.listeners = listeners;
        this.timers = timers;
    }

    /** Works out {@code slot}'s state; when it changed, tells the listeners, giving {@code reason}. */
    public void refresh(BackendSlot slot, String reason) {
        BackendLive live = slot.live();
        synchronized (live.stateLock) {
            BackendState now = slot.state(System.nanoTime());
            BackendState was = live.reported;
            if (now == was) {
                return;
            }
            live.reported = now;
            List<BackendStateListener> all = listeners.get();
            if (all.isEmpty()) {
                return;
            }
            BackendStateChange change = new BackendStateChange(slot.index(), slot.backend(), was, now, reason,
                    System.currentTimeMillis());
            for (BackendStateListener l : all) {
                try {
                    l.stateChanged(change);
                } catch (RuntimeException e) {
                    LOG.warn("state listener {} failed on {}: {}", l, change, e.toString());
                }
            }
        }
    }

    /** {@code slot} was just blacklisted: tells the listeners, and again when its blacklist is over. */
    public void blacklisted(BackendSlot slot, String reason) {
        refresh(slot, reason);
        if (timers != null && !listeners.get().isEmpty() && slot.live().blacklistEndWatched.compareAndSet(false, true)) {
            watchBlacklistEnd(slot);
        }
    }

    private void watchBlacklistEnd(BackendSlot slot) {
        BackendLive live = slot.live();
        long left = Math.max(0, live.blacklistedUntilNanos - System.nanoTime());
        try {
            timers.schedule(() -> {
                if (live.blacklisted(System.nanoTime())) {
                    // Blacklisted again meanwhile: watch the new end.
                    watchBlacklistEnd(slot);
                    return;
                }
                live.blacklistEndWatched.set(false);
                refresh(slot, "blacklist time over");
                if (live.blacklisted(System.nanoTime()) && live.blacklistEndWatched.compareAndSet(false, true)) {
                    watchBlacklistEnd(slot);
                }
            }, left + TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The balancer is closing: nobody needs the end any more.
            live.blacklistEndWatched.set(false);
        }
    }
}
