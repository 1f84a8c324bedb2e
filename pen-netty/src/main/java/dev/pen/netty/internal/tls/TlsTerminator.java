package dev.pen.netty.internal.tls;

import dev.pen.api.TlsSettings;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS termination at the listener: the server context built from {@link TlsSettings}' files, and a handler for
 * each accepted client from it. {@link #reload()} builds a new context from the files and publishes it through a
 * volatile field, so connections accepted afterwards use it and open ones keep theirs.
 *
 * <p>The OpenSSL provider (BoringSSL from netty-tcnative) is used when it loads, the JDK's otherwise; the system
 * property {@code pen.tls.provider} ({@code openssl} or {@code jdk}) forces one.
 */
public final class TlsTerminator {
    private static final Logger LOG = LoggerFactory.getLogger(TlsTerminator.class);
    private static volatile SslProvider loggedProvider;

    private final TlsSettings settings;
    private final SslProvider provider;
    private volatile SslContext context;

    private TlsTerminator(TlsSettings settings, SslProvider provider) {
        this.settings = settings;
        this.provider = provider;
        this.context = build(settings, provider);
    }

    /**
     * Reads the files of {@code settings} and builds the server context.
     *
     * @throws IllegalArgumentException naming the first file that is missing, unreadable or not what it should be
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
     * Reads the files again and uses them for connections accepted from now on; on failure the old context stays.
     *
     * @throws IllegalArgumentException naming the file at fault
     */
    public void reload() {
        context = build(settings, provider);
        LOG.debug("TLS certificate reloaded from {}", settings.certificate());
    }

    /** A TLS handler for a newly accepted client channel. */
    public SslHandler newHandler(Channel client) {
        return context.newHandler(client.alloc());
    }

    /** The certificate chain in use, leaf first (for diagnostics and tests). */
    public List<X509Certificate> chain() {
        return PemFiles.certificates(settings.certificate(), "certificate file");
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

    private static SslContext build(TlsSettings s, SslProvider provider) {
        List<X509Certificate> chain = PemFiles.certificates(s.certificate(), "certificate file");
        Path keyFile = s.keyFile();
        PrivateKey key = PemFiles.privateKey(keyFile);
        PemFiles.checkPair(key, chain.get(0), keyFile, s.certificate());
        if (s.requireClientCertificate() && s.caFile() == null && s.caDirectory() == null) {
            // Without a named CA the JVM's trust store would vouch, and any publicly issued certificate would do.
            throw new IllegalArgumentException("client certificates required but no CA named to check them against "
                    + "(expected a CA file or directory: -G or -A with -R)");
        }
        List<X509Certificate> trusted = new ArrayList<>();
        if (s.caFile() != null) {
            trusted.addAll(PemFiles.certificates(s.caFile(), "CA file"));
        }
        if (s.caDirectory() != null) {
            trusted.addAll(PemFiles.certificatesInDirectory(s.caDirectory()));
        }
        SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(provider)
                .protocols(s.protocols())
                .clientAuth(s.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE);
        if (!trusted.isEmpty()) {
            b.trustManager(trusted.toArray(new X509Certificate[0]));
        }
        try {
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("certificate file " + s.certificate() + " with key file " + keyFile
                    + ": unusable for TLS (" + e.getMessage() + ")", e);
        }
    }
}
