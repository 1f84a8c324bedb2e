package dev.pen.api;

import java.util.Locale;

/**
 * pen's {@code tcp_fastclose}: when one side of a TCP connection ends its stream, whether the whole connection is
 * closed at once (after what is already on its way is written) instead of passing the half-close on and waiting
 * for the other side. {@code UP}: when the server ends; {@code DOWN}: when the client ends; {@code BOTH}: when
 * either does; {@code OFF} (the default): half-close, close when both have ended.
 */
public enum FastClose {
    OFF,
    UP,
    DOWN,
    BOTH;

    /** Whether the connection closes as soon as the client ends its stream. */
    public boolean onClientEnd() {
        return this == DOWN || this == BOTH;
    }

    /** Whether the connection closes as soon as the server ends its stream. */
    public boolean onServerEnd() {
        return this == UP || this == BOTH;
    }

    /** pen's word for it: {@code off}, {@code up}, {@code down} or {@code both}. */
    public String penName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The value pen's word names.
     *
     * @throws IllegalArgumentException for another word, naming the four expected
     */
    public static FastClose parse(String word) {
        for (FastClose f : values()) {
            if (f.penName().equals(word)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unexpected fast close '" + word + "' (expected up, down, both or off)");
    }
}
