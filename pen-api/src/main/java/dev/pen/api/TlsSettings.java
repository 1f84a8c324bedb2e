package dev.pen.api;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * TLS termination at the listener (pen's {@code -E -K -G -A -R -L -Z} and its {@code ssl_*} commands): clients
 * speak TLS to the balancer and backends get plaintext. Files are PEM and are read when the balancer starts and
 * again on {@link Balancer#reloadTls()}; this value only names them. Immutable; start from {@link #of(Path)}.
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
 * @param ciphers pen's {@code ssl_ciphers}: cipher suites separated by {@code :}, each by its OpenSSL name
 *     ({@code ECDHE-RSA-AES128-GCM-SHA256}) or its IANA name ({@code TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}), or
 *     {@code null} for the TLS stack's defaults. As in OpenSSL, the list chooses the TLS 1.2 suites; TLS 1.3 keeps
 *     its own unless TLS 1.3 names are listed too. The names are checked against the TLS stack when the balancer
 *     builds its context
 * @param options pen's {@code ssl_option} words in force, from {@link #OPTIONS}: {@code no_tlsv1.2} leaves TLS 1.3
 *     only; {@code no_sslv2}, {@code no_sslv3}, {@code no_tlsv1} and {@code no_tlsv1.1} name versions never
 *     offered anyway; {@code cipher_server_preference} is how both TLS stacks choose already
 * @param sniDirectory pen's {@code ssl_sni_path}: for a client asking for server name N, {@code N.crt},
 *     {@code N.key} (and {@code N.ca}, {@code N.ocsp} when there) in this directory, or {@code null}
 * @param ocspResponse pen's {@code ssl_ocsp_response}: a DER OCSP response stapled for the default certificate, or
 *     {@code null}; needs the OpenSSL provider
 * @param renegotiationInterval pen's {@code ssl_client_renegotiation_interval} in seconds (default 3600), kept so
 *     that {@code write} gives it back: a client may never renegotiate here, whatever it says
 */
public record TlsSettings(Path certificate, Path key, Path caFile, Path caDirectory,
        boolean requireClientCertificate, String protocol, boolean compatibility, String ciphers,
        Set<String> options, Path sniDirectory, Path ocspResponse, int renegotiationInterval) {

    /** pen's default protocol name: any version the TLS stack offers (here TLS 1.2 and 1.3). */
    public static final String DEFAULT_PROTOCOL = "ssl23";

    /** pen's {@code ssl_option} words, in pen's order. */
    public static final List<String> OPTIONS = List.of("no_sslv2", "no_sslv3", "no_tlsv1", "no_tlsv1.1",
            "no_tlsv1.2", "cipher_server_preference");

    /** pen's default {@code ssl_client_renegotiation_interval}, in seconds. */
    public static final int DEFAULT_RENEGOTIATION_INTERVAL = 3600;

    private static final int MAX_CIPHERS_LENGTH = 4095;

    /** Checks the values; the files themselves are only read when the balancer starts. */
    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(protocol, "protocol");
        protocol = protocol.trim().toLowerCase(Locale.ROOT);
        protocolsFor(protocol);
        if (ciphers != null) {
            checkCiphers(ciphers);
        }
        Set<String> known = new TreeSet<>(Comparator.comparingInt(OPTIONS::indexOf));
        for (String o : options == null ? Set.<String>of() : options) {
            known.add(checkOption(o));
        }
        options = Collections.unmodifiableSet(known);
        if (renegotiationInterval < 0) {
            throw new IllegalArgumentException("unexpected renegotiation interval " + renegotiationInterval
                    + " (expected seconds, 0 or more)");
        }
    }

    /** TLS with {@code certificate} holding the certificate chain and the key, and pen's defaults otherwise. */
    public static TlsSettings of(Path certificate) {
        return new TlsSettings(certificate, null, null, null, false, DEFAULT_PROTOCOL, false, null, Set.of(), null,
                null, DEFAULT_RENEGOTIATION_INTERVAL);
    }

    /** A copy whose private key is read from {@code file} (pen's -K). */
    public TlsSettings withKey(Path file) {
        return new TlsSettings(certificate, file, caFile, caDirectory, requireClientCertificate, protocol,
                compatibility, ciphers, options, sniDirectory, ocspResponse, renegotiationInterval);
    }

    /** A copy whose client certificates are checked against the CAs in {@code file} (pen's -G). */
    public TlsSettings withCaFile(Path file) {
        return new TlsSettings(certificate, key, file, caDirectory, requireClientCertificate, protocol,
                compatibility, ciphers, options, sniDirectory, ocspResponse, renegotiationInterval);
    }

    /** A copy whose client certificates are checked against the CAs in {@code directory} (pen's -A). */
    public TlsSettings withCaDirectory(Path directory) {
        return new TlsSettings(certificate, key, caFile, directory, requireClientCertificate, protocol,
                compatibility, ciphers, options, sniDirectory, ocspResponse, renegotiationInterval);
    }

    /** A copy that requires a client certificate ({@code on}, pen's -R); it needs a CA file or directory. */
    public TlsSettings withRequireClientCertificate(boolean on) {
        return new TlsSettings(certificate, key, caFile, caDirectory, on, protocol, compatibility, ciphers, options,
                sniDirectory, ocspResponse, renegotiationInterval);
    }

    /**
     * With pen's {@code -L} protocol name.
     *
     * @throws IllegalArgumentException for a name pen does not know, naming it
     */
    public TlsSettings withProtocol(String name) {
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, name,
                compatibility, ciphers, options, sniDirectory, ocspResponse, renegotiationInterval);
    }

    /** A copy with pen's -Z set; it has no effect (see {@link #compatibility()}). */
    public TlsSettings withCompatibility(boolean on) {
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, protocol, on,
                ciphers, options, sniDirectory, ocspResponse, renegotiationInterval);
    }

    /**
     * With pen's {@code ssl_ciphers} list, or the TLS stack's defaults for {@code null}.
     *
     * @throws IllegalArgumentException for an empty list or a character no cipher name has, naming it
     */
    public TlsSettings withCiphers(String list) {
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, protocol,
                compatibility, list, options, sniDirectory, ocspResponse, renegotiationInterval);
    }

    /**
     * With pen's {@code ssl_option} word {@code option} in force ({@code on}) or not.
     *
     * @throws IllegalArgumentException for a word not in {@link #OPTIONS}, naming it
     */
    public TlsSettings withOption(String option, boolean on) {
        Set<String> next = new HashSet<>(options);
        if (on) {
            next.add(checkOption(option));
        } else {
            next.remove(checkOption(option));
        }
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, protocol,
                compatibility, ciphers, next, sniDirectory, ocspResponse, renegotiationInterval);
    }

    /** With pen's {@code ssl_sni_path}, or without server names for {@code null}. */
    public TlsSettings withSniDirectory(Path directory) {
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, protocol,
                compatibility, ciphers, options, directory, ocspResponse, renegotiationInterval);
    }

    /** With pen's {@code ssl_ocsp_response} file, or without stapling for {@code null}. */
    public TlsSettings withOcspResponse(Path file) {
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, protocol,
                compatibility, ciphers, options, sniDirectory, file, renegotiationInterval);
    }

    /**
     * With pen's {@code ssl_client_renegotiation_interval}; see {@link #renegotiationInterval()}.
     *
     * @throws IllegalArgumentException for a negative number
     */
    public TlsSettings withRenegotiationInterval(int seconds) {
        return new TlsSettings(certificate, key, caFile, caDirectory, requireClientCertificate, protocol,
                compatibility, ciphers, options, sniDirectory, ocspResponse, seconds);
    }

    /** The cipher names of {@link #ciphers()} in order, empty for the TLS stack's defaults. */
    public List<String> cipherNames() {
        return ciphers == null ? List.of() : List.of(ciphers.split(":"));
    }

    /** The file the private key is read from: {@link #key()}, or the certificate file when no key file is set. */
    public Path keyFile() {
        return key != null ? key : certificate;
    }

    /**
     * The protocol versions offered to clients, by their JSSE names, oldest first. TLS 1.2 is the floor: pen's
     * {@code ssl23}, {@code ssl2}, {@code ssl3}, {@code tls1} and {@code tls1.1} all give TLS 1.2 and 1.3, since
     * nothing older is safe; {@code tls1.3}, or {@code ssl_option no_tlsv1.2}, gives TLS 1.3 only.
     */
    public List<String> protocols() {
        return options.contains("no_tlsv1.2") ? List.of("TLSv1.3") : protocolsFor(protocol);
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

    private static void checkCiphers(String list) {
        if (list.isEmpty() || list.length() > MAX_CIPHERS_LENGTH) {
            throw new IllegalArgumentException("unexpected cipher list of " + list.length() + " characters (expected "
                    + "1 to " + MAX_CIPHERS_LENGTH + ")");
        }
        for (String name : list.split(":", -1)) {
            if (name.isEmpty() || !name.chars().allMatch(ch -> ch < 128 && (Character.isLetterOrDigit(ch)
                    || ch == '-' || ch == '_' || ch == '.'))) {
                throw new IllegalArgumentException("bad cipher name '" + name + "' in " + list + " (expected OpenSSL "
                        + "or IANA cipher suite names separated by ':')");
            }
        }
    }

    private static String checkOption(String option) {
        if (!OPTIONS.contains(option)) {
            throw new IllegalArgumentException("unknown option '" + option + "' (expected one of "
                    + String.join(", ", OPTIONS) + ")");
        }
        return option;
    }

    @Override
    public String toString() {
        return "TlsSettings{certificate=" + certificate + ", key=" + keyFile() + ", caFile=" + caFile
                + ", caDirectory=" + caDirectory + ", requireClientCertificate=" + requireClientCertificate
                + ", protocol=" + protocol + (ciphers != null ? ", ciphers=" + ciphers : "")
                + (options.isEmpty() ? "" : ", options=" + options)
                + (sniDirectory != null ? ", sniDirectory=" + sniDirectory : "")
                + (ocspResponse != null ? ", ocspResponse=" + ocspResponse : "")
                + (renegotiationInterval != DEFAULT_RENEGOTIATION_INTERVAL
                        ? ", renegotiationInterval=" + renegotiationInterval : "") + "}";
    }
}
