package dev.pen.api;

import java.util.Objects;

/**
 * The outcome of one active health check of a backend.
 *
 * @param passed whether the check passed
 * @param detail what was seen, for people: {@code connected}, {@code HTTP 500}, {@code timeout after 100 ms},
 *     {@code connect failed: Connection refused}
 * @param atMillis the wall time the check ended
 */
public record CheckResult(boolean passed, String detail, long atMillis) {

    /** Checks that the detail is given. */
    public CheckResult {
        Objects.requireNonNull(detail, "detail");
    }
}
