package dev.pen.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS termination at the listener (pen's {@code -E -K -G -A -R -L -Z}): clients speak TLS to the balancer and
 * backends get plaintext. Files are PEM and are read when the balancer starts and again on
 * {@link Balancer#reloadTls()}; this value only names them. Immutable; start from {@link #of(Path)}.
 *
 * @param certificate the server certificate chain, leaf first (-E)
 * @param key the private key (-K); {@code null} means it is inside the certificate file, as pen's default
 * @param caFile trusted certificates for client certificates (-G), or {@code null}
 * @param caDirectory a directory whose PEM files all hold trusted certificates for client certificates (-A), or
 *     {@code null}
 * @param requireClientCertificate whether a client must present a certificate that the CA file or directory
 *     (or, with neither, the JVM's default trust store) vouches for (-R)
 * @param protocol pen's protocol floor name (-L): {@code ssl23}, {@code ssl2}, {@code ssl3}, {@code tls1}, or
 *     {@code tls1.1}, {@code tls1.2}, {@code tls1.3}; see {@link #protocols()}
 * @param compatibility pen's -Z (OpenSSL's bug workarounds); accepted for compatibility and has no effect, since
 *     the TLS stacks used apply their interoperability workarounds anyway
 */
public record TlsSettings(Path certificate, Path key, Path caFile, Path caDirectory,
        boolean requireClientCertificate, String protocol, boolean compatibility) {

    /** pen's default protocol name: any version the TLS stack offers (here TLS 1.2 and 1.3). */
    public static final String DEFAULT_PROTOCOL = "ssl23";

    /** Checks the values; the files themselves are only read when the balancer starts. */
    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(protocol, "protocol");
        protocol = protocol.trim().toLowerCase(Locale.ROOT);
        protocolsFor(protocol);
    }

    /** TLS with {@code certificate} holding the certificate chain and the key, and pen's defaults otherwise. */
    public static TlsSettings of(Path certificate) {
        return new TlsSettings(certificate, null, null, null, false, DEFAULT_PROTOCOL, false);
    }

    /** A copy whose private key is read from {@code file} (pen's -K). */
    public TlsSettings withKey(Path file) {
        return new TlsSettings(certificate, file, caFile, caDirectory, requireClientCertificate, protocol,
                compatibility);
    }

    /** A copy whose client certificates are checked against the CAs in {@code file} (pen's -G). */
    public TlsSettings withCaFile(Path file) {
        return new TlsSettings(certificate, key, file, caDirectory, requireClientCertificate, protocol,
                compatibility);
    }

    /** A copy whose client certificates are checked against the CAs in {@code directory} (pen's -A). */
    public TlsSettings withCaDirectory(Path directory) {
        return new TlsSettings(certificate, key, caFile, directory, requireClientCertificate, protocol,
                compatibility);
    }

    /** A copy that requires a client certificate ({@code on}, pen's -R); it needs a CA file or directory. */
    public TlsSettings withRequireClientCertificate(boolean on) {
        return new TlsSettings(certificate, key, caFile, caDirectory, on, protocol, compatibility);
    }

    /**
     * With pen's {@code -L} protocol name.
     *
     * @throws IllegalArgumentException for a name pen does not know, naming it
     */
    public TlsSettings withProtocol(String name) {
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, name,
                compatibility);
    }

    /** A copy with pen's -Z set; it has no effect (see {@link #compatibility()}). */
    public TlsSettings withCompatibility(boolean on) {
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, protocol, on);
    }

    /** The file the private key is read from: {@link #key()}, or the certificate file when no key file is set. */
    public Path keyFile() {
        return key != null ? key : certificate;
    }

    /**
     * The protocol versions offered to clients, by their JSSE names, oldest first. TLS 1.2 is the floor: pen's
     * {@code ssl23}, {@code ssl2}, {@code ssl3}, {@code tls1} and {@code tls1.1} all give TLS 1.2 and 1.3, since
     * nothing older is safe; {@code tls1.3} gives TLS 1.3 only.
     */
    public List<String> protocols() {
        return protocolsFor(protocol);
    }

    /**
     * The one-line warning to show at start when {@link #protocol()} asks for a version older than the floor
     * that is used instead ({@code ssl2}, {@code ssl3}); empty otherwise.
     */
    public Optional<String> protocolWarning() {
        if (protocol.equals("ssl2") || protocol.equals("ssl3")) {
            return Optional.of("protocol " + protocol + " is not offered: TLS 1.2 is the floor used instead");
        }
        return Optional.empty();
    }

    private static List<String> protocolsFor(String name) {
        return switch (name) {
            case "ssl23", "ssl2", "ssl3", "tls1", "tls1.1", "tls1.2" -> List.of("TLSv1.2", "TLSv1.3");
            case "tls1.3" -> List.of("TLSv1.3");
            default -> throw new IllegalArgumentException("protocol version " + name
                    + " not known (expected ssl23, ssl2, ssl3, tls1, tls1.1, tls1.2 or tls1.3)");
        };
    }

    @Override
    public String toString() {
        return "TlsSettings{certificate=" + certificate + ", key=" + keyFile() + ", caFile=" + caFile
                + ", caDirectory=" + caDirectory + ", requireClientCertificate=" + requireClientCertificate
                + ", protocol=" + protocol + "}";
    }
}
