package dev.pen.api;

/**
 * Listener for the events of a connection's life. Calls come on the relay's own threads, so a listener must
 * return quickly and never block (queue work to another thread if it writes files). Every method has an empty
 * default; {@link #clientData} is only called, and its bytes only copied, when {@link #wantsClientData()} says so.
 */
public interface ConnectionLog {

    /** pen logs at most this many bytes of the first line of each read. */
    int MAX_TEXT = 100;

    /**
     * Whether this listener wants {@link #clientData}. Asked when the balancer starts (a listener that answers
     * false then never gets the event) and again before each delivery, so that a listener can pause and resume
     * it: the answer must be cheap, such as a field read.
     */
    default boolean wantsClientData() {
        return false;
    }

    /**
     * The most bytes of each read's first line this listener takes (pen's log file: {@link #MAX_TEXT}; pen's
     * network log sends up to about a kilobyte). Asked once when the balancer starts.
     */
    default int clientDataLimit() {
        return MAX_TEXT;
    }

    /**
     * Whether this listener may ever want {@link #relayed}, asked once when the balancer starts: a listener that
     * answers false is never asked again and the relay pays nothing for it.
     */
    default boolean mayWantRelayedBytes() {
        return false;
    }

    /**
     * Whether this listener wants {@link #relayed} now; asked before each read for a listener that may want it, so
     * the answer must be cheap, such as a field read. The bytes are copied only when it says yes.
     */
    default boolean wantsRelayedBytes() {
        return false;
    }

    /** A client connection was accepted. */
    default void accepted(ConnectionInfo connection) {
    }

    /** Backend {@code index} was chosen and a connection to it is being opened. */
    default void backendChosen(ConnectionInfo connection, int index) {
    }

    /** The connection to backend {@code index} failed or timed out; failover may follow. */
    default void connectFailed(ConnectionInfo connection, int index, Throwable cause) {
    }

    /** The connection to the backend is established; data flows from now on. */
    default void connected(ConnectionInfo connection) {
    }

    /**
     * Data was read from the client and is being sent to the backend. {@code firstLine} holds the bytes of that
     * read up to its first CR or LF, at most {@link #clientDataLimit()} of them; the listener owns the array.
     */
    default void clientData(ConnectionInfo connection, byte[] firstLine) {
    }

    /**
     * Every byte of a read, as it is passed on: from the client ({@code fromClient}) to the backend, or from the
     * backend to the client. Only called while {@link #wantsRelayedBytes()} says so; the listener owns the array.
     * Bytes the kernel moves from socket to socket (splice) are not seen, so none is spliced while it is wanted.
     */
    default void relayed(ConnectionInfo connection, boolean fromClient, byte[] bytes) {
    }

    /** The client was closed without reaching a backend (refused, denied, or every backend failed). */
    default void refused(ConnectionInfo connection, String reason) {
    }

    /** The connection ended; its byte counts and duration are final. */
    default void closed(ConnectionInfo connection) {
    }
}
