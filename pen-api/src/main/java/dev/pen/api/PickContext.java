package dev.pen.api;

import java.net.InetAddress;
import java.util.List;

/**
 * What a {@link Picker} may look at: the client's address and port (address {@code null} and port 0 for a Unix
 * socket client), the backends in index order (empty slots left out), and the balancer's mode flags.
 */
public interface PickContext {

    InetAddress clientAddress();

    int clientPort();

    /**
     * The occupied backend slots in index order; the list is an immutable snapshot, and the same list object is
     * passed until the backends change, so a picker may cache what it derives from it.
     */
    List<Candidate> candidates();

    Modes modes();
}
