package dev.pen.netty.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads PEM certificates and private keys as pen's files hold them: certificates, and keys in PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form, unencrypted, in the
 * same file or apart. Every failure is an {@link IllegalArgumentException} of one line naming the file and what
 * was expected.
 */
final class PemFiles {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    // DER of the algorithm identifiers that wrap a PKCS#1 or SEC1 key as PKCS#8.
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02,
            0x01};
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

    private PemFiles() {
    }

    private record Block(String type, byte[] der) {
    }

    /** The certificates in {@code file}, in file order; at least one. */
    static List<X509Certificate> certificates(Path file, String role) {
        List<X509Certificate> certs = certificatesIn(file, blocks(file, role), role);
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(role + " " + file
                    + ": no certificate found (expected PEM with -----BEGIN CERTIFICATE-----)");
        }
        return certs;
    }

    /** Every certificate in the PEM files of {@code dir} (files without one are skipped); at least one. */
    static List<X509Certificate> certificatesInDirectory(Path dir) {
        String role = "CA directory";
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(role + " " + dir + ": not a directory (expected a directory of PEM "
                    + "certificates)");
        }
        Set<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(role + " " + dir + ": can't list it (" + reason(e) + ")");
        }
        // A hashed directory links several names to one file: keep each certificate once.
        Set<X509Certificate> certs = new LinkedHashSet<>();
        for (Path p : files) {
            certs.addAll(certificatesIn(p, blocks(p, "CA file"), "CA file"));
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(role + " " + dir
                    + ": no certificate found (expected PEM files with -----BEGIN CERTIFICATE-----)");
        }
        return new ArrayList<>(certs);
    }

    /** The private key in {@code file}. */
    static PrivateKey privateKey(Path file) {
        String role = "key file";
        for (Block b : blocks(file, role)) {
            switch (b.type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(file, b.der);
                }
                case "RSA PRIVATE KEY" -> {
                    return pkcs8(file, sequence(concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM,
                            tlv(0x04, b.der))));
                }
                case "EC PRIVATE KEY" -> {
                    return pkcs8(file, sequence(concat(new byte[] {0x02, 0x01, 0x00},
                            sequence(concat(EC_PUBLIC_KEY_OID, curveOf(file, b.der))), tlv(0x04, b.der))));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(role + " " + file
                        + ": the key is encrypted (expected an unencrypted PEM private key)");
                default -> {
                    // certificates and parameters beside the key
                }
            }
        }
        throw new IllegalArgumentException(role + " " + file
                + ": no private key found (expected PEM with -----BEGIN PRIVATE KEY-----)");
    }

    /** Checks that {@code key} belongs to {@code certificate} by signing with one and verifying with the other. */
    static void checkPair(PrivateKey key, X509Certificate certificate, Path keyFile, Path certificateFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        PublicKey publicKey = certificate.getPublicKey();
        boolean matches;
        try {
            if (algorithm == null) {
                matches = key.getAlgorithm().equals(publicKey.getAlgorithm());
            } else {
                byte[] probe = "pen key check".getBytes(StandardCharsets.US_ASCII);
                Signature signer = Signature.getInstance(algorithm);
                signer.initSign(key);
                signer.update(probe);
                byte[] signature = signer.sign();
                Signature verifier = Signature.getInstance(algorithm);
                verifier.initVerify(publicKey);
                verifier.update(probe);
                matches = verifier.verify(signature);
            }
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("key file " + keyFile + ": the key does not match the certificate in "
                    + certificateFile + " (expected the private key of " + certificate.getSubjectX500Principal()
                    .getName() + ")");
        }
    }

    private static List<X509Certificate> certificatesIn(Path file, List<Block> blocks, String role) {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 support in this JVM", e);
        }
        for (Block b : blocks) {
            if (b.type.equals("CERTIFICATE") || b.type.equals("TRUSTED CERTIFICATE")) {
                try {
                    certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException(role + " " + file + ": bad certificate (" + e.getMessage()
                            + "; expected a PEM X.509 certificate)");
                }
            }
        }
        return certs;
    }

    private static List<Block> blocks(Path file, String role) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException(role + " " + file + ": can't read it (" + reason(e)
                    + "; expected a readable PEM file)");
        }
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf(BEGIN, at)) >= 0) {
            int typeEnd = text.indexOf("-----", at + BEGIN.length());
            if (typeEnd < 0) {
                break;
            }
            String type = text.substring(at + BEGIN.length(), typeEnd);
            String endMarker = END + type + "-----";
            // The end marker is looked for after the begin line's own dashes, which could otherwise be its start.
            int end = text.indexOf(endMarker, typeEnd + 5);
            if (end < 0) {
                throw new IllegalArgumentException(role + " " + file + ": " + type + " block has no end (expected "
                        + endMarker + ")");
            }
            String body = text.substring(typeEnd + 5, end);
            if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                throw new IllegalArgumentException(role + " " + file + ": the " + type
                        + " is encrypted (expected an unencrypted PEM private key)");
            }
            try {
                blocks.add(new Block(type, Base64.getMimeDecoder().decode(body.replaceAll("[^A-Za-z0-9+/=]", ""))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(role + " " + file + ": bad base64 in the " + type
                        + " block (expected PEM)");
            }
            at = end + endMarker.length();
        }
        return blocks;
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("key file " + file
                + ": unreadable private key (expected an RSA, EC or Ed25519 key in PEM)");
    }

    /** The named curve's OID element in an SEC1 {@code ECPrivateKey}: {@code SEQUENCE {1, key, [0] curve, ...}}. */
    private static byte[] curveOf(Path file, byte[] sec1) {
        try {
            int[] at = {0};
            expect(sec1, at, 0x30);
            readLength(sec1, at);
            skip(sec1, at); // version
            skip(sec1, at); // private key octets
            while (at[0] < sec1.length) {
                int tag = sec1[at[0]] & 0xFF;
                at[0]++;
                int len = readLength(sec1, at);
                if (tag == 0xA0) {
                    byte[] oid = new byte[len];
                    System.arraycopy(sec1, at[0], oid, 0, len);
                    return oid;
                }
                at[0] += len;
            }
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("key file " + file
                + ": EC key without a named curve (expected an EC PRIVATE KEY with its curve)");
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if ((der[at[0]++] & 0xFF) != tag) {
            throw new IllegalArgumentException("unexpected DER tag");
        }
    }

    private static void skip(byte[] der, int[] at) {
        at[0]++;
        int len = readLength(der, at);
        at[0] += len;
    }

    private static int readLength(byte[] der, int[] at) {
        int first = der[at[0]++] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int bytes = first & 0x7F;
        if (bytes > 3) {
            throw new IllegalArgumentException("DER length too large");
        }
        int len = 0;
        for (int k = 0; k < bytes; k++) {
            len = len << 8 | der[at[0]++] & 0xFF;
        }
        return len;
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
