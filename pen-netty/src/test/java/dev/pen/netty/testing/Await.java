package dev.pen.netty.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, polling briefly; never a fixed sleep. */
public final class Await {
    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(10), condition);
    }

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    /** Waits until {@code value} returns something for which {@code done} holds, and returns it. */
    public static <T> T value(String what, Supplier<T> value, java.util.function.Predicate<T> done) {
        Object[] last = new Object[1];
        try {
            until(what, () -> {
                last[0] = value.get();
                @SuppressWarnings("unchecked")
                T t = (T) last[0];
                return done.test(t);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last[0], e);
        }
        @SuppressWarnings("unchecked")
        T t = (T) last[0];
        return t;
    }
}
