package dev.pen.netty.internal.tls;

import dev.pen.api.TlsSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS termination at the listener: the server context built from {@link TlsSettings}' files, the contexts of the
 * server names of {@link TlsSettings#sniDirectory()}, and a handler for each accepted client from them.
 * {@link #reload()} builds new contexts from the files and publishes them through a volatile field, so connections
 * accepted afterwards use them and open ones keep theirs.
 *
 * <p>The OpenSSL provider (BoringSSL from netty-tcnative) is used when it loads, the JDK's otherwise; the system
 * property {@code pen.tls.provider} ({@code openssl} or {@code jdk}) forces one.
 */
public final class TlsTerminator {
    private static final Logger LOG = LoggerFactory.getLogger(TlsTerminator.class);
    private static volatile SslProvider loggedProvider;

    private final TlsSettings settings;
    private final SslProvider provider;
    private volatile Contexts contexts;

    /** The default context, and the server names' when {@code ssl_sni_path} is set (else null). */
    private record Contexts(ServerContext fallback, ServerNames names) {
    }

    private TlsTerminator(TlsSettings settings, SslProvider provider) {
        this.settings = settings;
        this.provider = provider;
        this.contexts = build(settings, provider);
    }

    /**
     * Reads the files of {@code settings} and builds the server context.
     *
     * @throws IllegalArgumentException naming the first file that is missing, unreadable or not what it should be,
     *     or the setting the TLS stack in use cannot do
     */
    public static TlsTerminator load(TlsSettings settings) {
        TlsTerminator t = new TlsTerminator(settings, chooseProvider());
        settings.protocolWarning().ifPresent(LOG::warn);
        if (loggedProvider != t.provider) {
            loggedProvider = t.provider;
            LOG.info("TLS provider: {}", t.provider == SslProvider.OPENSSL ? OpenSsl.versionString() : "JDK");
        }
        return t;
    }

    public TlsSettings settings() {
        return settings;
    }

    /**
     * Reads the files again (the server names' when next asked for) and uses them for connections accepted from
     * now on; on failure the old contexts stay.
     *
     * @throws IllegalArgumentException naming the file at fault
     */
    public void reload() {
        contexts = build(settings, provider);
        LOG.debug("TLS certificate reloaded from {}", settings.certificate());
    }

    /**
     * The TLS handler for a newly accepted client: the default context's, or with server names one that picks the
     * context from the name in the client's hello. Either fails a handshake not done {@code handshakeMillis} after
     * it starts.
     */
    public ChannelHandler newHandler(Channel client, int handshakeMillis) {
        Contexts c = contexts;
        if (c.names != null) {
            return new ServerNameHandler(c.names, handshakeMillis);
        }
        return c.fallback.newHandler(client.alloc(), handshakeMillis);
    }

    /** The certificate chain in use, leaf first (for diagnostics and tests). */
    public List<X509Certificate> chain() {
        return PemFiles.certificates(settings.certificate(), "certificate file");
    }

    /** The number of server names whose contexts are kept now (for tests). */
    public int serverNamesCached() {
        Contexts c = contexts;
        return c.names == null ? 0 : c.names.cached();
    }

    private static SslProvider chooseProvider() {
        String forced = System.getProperty("pen.tls.provider", "").trim().toLowerCase(Locale.ROOT);
        SslProvider chosen = switch (forced) {
            case "" -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case "openssl" -> {
                OpenSsl.ensureAvailability();
                yield SslProvider.OPENSSL;
            }
            case "jdk" -> SslProvider.JDK;
            default -> throw new IllegalArgumentException(
                    "unknown TLS provider '" + forced + "' in pen.tls.provider (expected openssl or jdk)");
        };
        if (chosen == SslProvider.JDK && System.getProperty(REJECT_RENEGOTIATION) == null) {
            // A client may not renegotiate, whichever stack serves it: BoringSSL never lets one; the JDK's must be
            // told before its first handshake (an embedder who set the property has decided for the JVM).
            System.setProperty(REJECT_RENEGOTIATION, "true");
        }
        return chosen;
    }

    private static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    private static Contexts build(TlsSettings s, SslProvider provider) {
        ServerContext fallback = ServerContext.build(s, provider, s.certificate(), s.keyFile(), null,
                s.ocspResponse());
        Path dir = s.sniDirectory();
        if (dir == null) {
            return new Contexts(fallback, null);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("server name directory " + dir + ": not a directory (expected a "
                    + "directory of NAME.crt, NAME.key, NAME.ca and NAME.ocsp files)");
        }
        return new Contexts(fallback, new ServerNames(dir, fallback, name -> {
            Path ca = dir.resolve(name + ".ca");
            Path ocsp = dir.resolve(name + ".ocsp");
            if (Files.isRegularFile(ocsp) && !ServerContext.canStaple(provider)) {
                LOG.warn("server name {}: {} not stapled: OCSP stapling needs netty-tcnative's OpenSSL provider",
                        name, ocsp);
                ocsp = null;
            }
            return ServerContext.build(s, provider, dir.resolve(name + ".crt"), dir.resolve(name + ".key"),
                    Files.isRegularFile(ca) ? ca : null, ocsp != null && Files.isRegularFile(ocsp) ? ocsp : null);
        }));
    }
}
