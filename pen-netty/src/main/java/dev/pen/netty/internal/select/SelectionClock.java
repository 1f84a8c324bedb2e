package dev.pen.netty.internal.select;

/** The time of the selection in progress, read once per selection so that candidates need no clock call each. */
final class SelectionClock {
    volatile long nowNanos = System.nanoTime();
}
