package dev.pen.api;

/** A backend as a {@link Picker} sees it: its index and configuration, with live figures read on demand. */
public interface Candidate {

    /** pen's server index. */
    int index();

    Backend backend();

    /** Connections to this backend now. */
    int activeConnections();

    /** False while blacklisted or draining: built-in strategies skip it where pen does. */
    boolean available();
}
