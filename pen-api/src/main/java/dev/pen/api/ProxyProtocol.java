package dev.pen.api;

import java.util.Locale;
import java.util.Objects;

/**
 * Whether, and in which version, a backend connection starts with a PROXY protocol header (HAProxy's PROXY
 * protocol) naming the client: {@link #V1} is the text form, {@link #V2} the binary one, {@link #OFF} none. The text
 * form is {@code v1}, {@code v2} or {@code off}; see {@link #parse(String)}.
 */
public enum ProxyProtocol {
    /** No header: the backend sees the balancer as the client, as in pen. */
    OFF,
    /** The text header, {@code PROXY TCP4 src dst sport dport\r\n}. */
    V1,
    /** The binary header. */
    V2;

    /**
     * Reads {@code v1}, {@code v2} or {@code off}.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static ProxyProtocol parse(String text) {
        Objects.requireNonNull(text, "text");
        return switch (text) {
            case "v1" -> V1;
            case "v2" -> V2;
            case "off" -> OFF;
            default -> throw new IllegalArgumentException(
                    "unexpected PROXY protocol version '" + text + "' (expected v1, v2 or off)");
        };
    }

    /** The text form, {@code v1}, {@code v2} or {@code off}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
