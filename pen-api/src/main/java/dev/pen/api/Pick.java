package dev.pen.api;

import java.util.Objects;

/** A {@link Picker}'s answer: the index of the chosen backend, or none with the reason why. */
public record Pick(int index, String reason) {

    private static final Pick[] CACHE = new Pick[256];

    static {
        for (int i = 0; i < CACHE.length; i++) {
            CACHE[i] = new Pick(i, null);
        }
    }

    /** Checks that a choice has no reason and a refusal has one. */
    public Pick {
        if (index >= 0 && reason != null) {
            throw new IllegalArgumentException("a chosen backend has no reason: " + reason);
        }
        if (index < 0) {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Backend {@code index} is chosen. */
    public static Pick of(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("unexpected backend index: " + index + " (expected 0 or more)");
        }
        return index < CACHE.length ? CACHE[index] : new Pick(index, null);
    }

    /** No backend is chosen, because of {@code reason}. */
    public static Pick none(String reason) {
        return new Pick(Strategy.NO_BACKEND, reason);
    }

    public boolean chosen() {
        return index >= 0;
    }
}
