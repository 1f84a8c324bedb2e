package dev.pen.netty.internal.tls;

import dev.pen.api.TlsSettings;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * One certificate's server context, built with Netty's {@link SslContextBuilder} from {@link TlsSettings} (the
 * protocols, ciphers and client certificate rule apply to every certificate), and the OCSP response stapled with
 * it, if any.
 */
final class ServerContext {
    /** The largest OCSP response read (pen reads at most 10000 bytes). */
    static final int MAX_OCSP_BYTES = 65_536;

    private final SslContext context;
    private final byte[] ocspResponse;

    private ServerContext(SslContext context, byte[] ocspResponse) {
        this.context = context;
        this.ocspResponse = ocspResponse;
    }

    /** Whether {@code provider} can staple OCSP responses (only netty-tcnative's OpenSSL or BoringSSL can). */
    static boolean canStaple(SslProvider provider) {
        return provider == SslProvider.OPENSSL && OpenSsl.isOcspSupported();
    }

    /**
     * Reads the files and builds the context.
     *
     * @param certificateFile the certificate chain, leaf first
     * @param keyFile its private key
     * @param caFile the CAs for client certificates in place of those of {@code s}, or {@code null}
     * @param ocspFile the DER OCSP response to staple, or {@code null}
     * @throws IllegalArgumentException naming the file or the setting at fault
     */
    static ServerContext build(TlsSettings s, SslProvider provider, Path certificateFile, Path keyFile, Path caFile,
            Path ocspFile) {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile, "certificate file");
        PrivateKey key = PemFiles.privateKey(keyFile);
        PemFiles.checkPair(key, chain.get(0), keyFile, certificateFile);
        List<X509Certificate> trusted = new ArrayList<>();
        if (caFile != null) {
            trusted.addAll(PemFiles.certificates(caFile, "CA file"));
        } else {
            if (s.requireClientCertificate() && s.caFile() == null && s.caDirectory() == null) {
                // Without a named CA the JVM's trust store would vouch, and any publicly issued certificate would do.
                throw new IllegalArgumentException("client certificates required but no CA named to check them "
                        + "against (expected a CA file or directory: -G or -A with -R)");
            }
            if (s.caFile() != null) {
                trusted.addAll(PemFiles.certificates(s.caFile(), "CA file"));
            }
            if (s.caDirectory() != null) {
                trusted.addAll(PemFiles.certificatesInDirectory(s.caDirectory()));
            }
        }
        byte[] ocsp = null;
        if (ocspFile != null) {
            if (!canStaple(provider)) {
                throw new IllegalArgumentException("OCSP stapling needs netty-tcnative's OpenSSL provider, and the "
                        + CipherSuites.stackName(provider) + " TLS stack is in use (expected netty-tcnative loaded, "
                        + "not -Dpen.tls.provider=jdk)");
            }
            ocsp = ocspResponse(ocspFile);
        }
        SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(provider)
                .protocols(s.protocols())
                .clientAuth(s.requireClientCertificate() ? ClientAuth.REQUIRE : ClientAuth.NONE)
                .enableOcsp(ocsp != null);
        if (!s.cipherNames().isEmpty()) {
            b.ciphers(CipherSuites.resolve(s.cipherNames(), provider));
        }
        if (!trusted.isEmpty()) {
            b.trustManager(trusted.toArray(new X509Certificate[0]));
        }
        try {
            return new ServerContext(b.build(), ocsp);
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("certificate file " + certificateFile + " with key file " + keyFile
                    + ": unusable for TLS (" + e.getMessage() + ")", e);
        }
    }

    /** A TLS handler for a new client, with the OCSP response to staple if the client asks for one. */
    SslHandler newHandler(ByteBufAllocator alloc, int handshakeMillis) {
        SslHandler handler = context.newHandler(alloc);
        handler.setHandshakeTimeoutMillis(handshakeMillis);
        staple(handler);
        return handler;
    }

    /** Gives {@code handler}'s engine the OCSP response, before its handshake. */
    void staple(SslHandler handler) {
        if (ocspResponse != null) {
            ((ReferenceCountedOpenSslEngine) handler.engine()).setOcspResponse(ocspResponse);
        }
    }

    SslContext context() {
        return context;
    }

    boolean staples() {
        return ocspResponse != null;
    }

    /** The DER OCSP response in {@code file}. */
    static byte[] ocspResponse(Path file) {
        String role = "OCSP response file " + file;
        byte[] der;
        try {
            long size = Files.size(file);
            if (size > MAX_OCSP_BYTES) {
                throw new IllegalArgumentException(role + ": " + size + " bytes (expected a DER OCSP response of at "
                        + "most " + MAX_OCSP_BYTES + " bytes)");
            }
            der = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(role + ": can't read it (no such file; expected a DER OCSP response)");
        } catch (IOException e) {
            throw new IllegalArgumentException(role + ": can't read it (" + e.getMessage()
                    + "; expected a DER OCSP response)");
        }
        if (der.length < 2 || der[0] != 0x30) {
            throw new IllegalArgumentException(role + ": not DER (expected a DER OCSP response, as openssl ocsp "
                    + "-respout writes)");
        }
        return der;
    }
}
