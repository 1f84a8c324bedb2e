package dev.pen.netty.internal.proxy;

/**
 * What the PROXY protocol handlers of a client connection tell the relay, as user events: a trusted header was
 * read ({@link #RECEIVED}, the connection may now choose its server), or the connection must be closed and
 * counted ({@link Refused}).
 */
public sealed interface ProxyHeaderEvent {
    /** The header was read and its addresses are in {@link ClientAddresses}. */
    ProxyHeaderEvent RECEIVED = new Received();

    /** The header was read. */
    record Received() implements ProxyHeaderEvent {
    }

    /**
     * The connection sent a header it may not send, a malformed one, or none where one is required.
     *
     * @param reason what was wrong, for the diagnostics
     */
    record Refused(String reason) implements ProxyHeaderEvent {
    }
}
