package dev.pen.api;

import java.util.Objects;

/**
 * A backend's state changed.
 *
 * @param index pen's server index
 * @param backend the backend's configuration at the time
 * @param previous the state before
 * @param current the state now
 * @param reason why, for people: {@code check failed: HTTP 500}, {@code connect failure: Connection refused},
 *     {@code blacklist time over}, {@code drained}
 * @param atMillis the wall time of the change
 */
public record BackendStateChange(int index, Backend backend, BackendState previous, BackendState current,
        String reason, long atMillis) {

    /** Checks that every reference is given. */
    public BackendStateChange {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(reason, "reason");
    }
}
