package dev.pen.api;

import java.util.List;
import java.util.Objects;

/**
 * The balancer's PROXY protocol settings: the header every backend connection starts with unless its server says
 * otherwise ({@link Backend#proxyProtocol()}), and the networks whose connections must start with a header naming
 * the real client (an upstream balancer's). Empty {@code acceptFrom} means no client is asked for a header, as in
 * pen. Immutable.
 *
 * @param send the header for backends whose server sets none; {@link ProxyProtocol#OFF} by default
 * @param acceptFrom the trusted networks: a connection from one of them must start with a PROXY header (v1 or
 *     v2), whose source is then the client; a connection from elsewhere that starts with one is closed
 */
public record ProxySettings(ProxyProtocol send, List<Network> acceptFrom) {
    /** No header sent, none accepted: pen's behaviour. */
    public static final ProxySettings NONE = new ProxySettings(ProxyProtocol.OFF, List.of());

    /** Copies the list. */
    public ProxySettings {
        Objects.requireNonNull(send, "send");
        acceptFrom = List.copyOf(acceptFrom);
    }

    /** A copy sending {@code version} to backends whose server sets none. */
    public ProxySettings withSend(ProxyProtocol version) {
        return new ProxySettings(version, acceptFrom);
    }

    /** A copy trusting {@code networks} (empty: none). */
    public ProxySettings withAcceptFrom(List<Network> networks) {
        return new ProxySettings(send, networks);
    }

    /** Whether some networks are trusted to send headers. */
    public boolean accepting() {
        return !acceptFrom.isEmpty();
    }

    /** The header a connection to {@code backend} starts with: the server's own setting, else {@link #send()}. */
    public ProxyProtocol sendTo(Backend backend) {
        return backend.proxyProtocol().orElse(send);
    }
}
