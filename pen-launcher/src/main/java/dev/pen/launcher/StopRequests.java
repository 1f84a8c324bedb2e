package dev.pen.launcher;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests to stop (TERM, INT, the {@code exit} command): the first starts the stop, which with
 * {@code --grace} lets open connections finish; any later one ends the grace at once.
 */
final class StopRequests {
    private final AtomicInteger count = new AtomicInteger();
    private final CountDownLatch first = new CountDownLatch(1);
    private final CompletableFuture<Void> again = new CompletableFuture<>();

    /** A request to stop; safe from any thread, a signal handler's included. */
    void request() {
        if (count.getAndIncrement() == 0) {
            first.countDown();
        } else {
            again.complete(null);
        }
    }

    /** Waits for the first request. */
    void awaitFirst() throws InterruptedException {
        first.await();
    }

    /** Completes on the second request. */
    CompletableFuture<Void> again() {
        return again;
    }
}
