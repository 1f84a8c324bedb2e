package dev.pen.api;

/**
 * A backend as a {@link Picker} sees it: its index and configuration, which never change for one candidate,
 * and live figures read when asked, so a candidate kept from an earlier pick still answers for now.
 */
public interface Candidate {

    /** pen's server index. */
    int index();

    Backend backend();

    /** Connections to this backend now. */
    int activeConnections();

    /** False while blacklisted or draining, as of this call: built-in strategies skip it where pen does. */
    boolean available();
}
