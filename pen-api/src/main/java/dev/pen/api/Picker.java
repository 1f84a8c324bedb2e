package dev.pen.api;

/**
 * Chooses a backend for one new client. The selector calls a picker from one thread at a time, so a picker may
 * keep plain mutable state; it must not block. It is told of outcomes so that adaptive strategies can learn.
 */
public interface Picker {

    /** The choice for {@code context}'s client: a candidate's index, or {@link Pick#none(String)}. */
    Pick pick(PickContext context);

    /** The connection to backend {@code index} was established. */
    default void connected(int index) {
    }

    /** The connection to backend {@code index} failed or timed out. */
    default void failed(int index) {
    }
}
