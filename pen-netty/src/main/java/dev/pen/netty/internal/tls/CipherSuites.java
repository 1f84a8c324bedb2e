package dev.pen.netty.internal.tls;

import io.netty.handler.ssl.CipherSuiteConverter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * pen's {@code ssl_ciphers} list as the Java cipher suite names a TLS stack is given: each name, OpenSSL's or
 * IANA's, must be one the stack in use supports. As with OpenSSL, the list chooses the TLS 1.2 suites, and TLS 1.3
 * keeps the stack's own unless TLS 1.3 suites are named too.
 */
final class CipherSuites {
    private static final String EXPECTED = "(expected OpenSSL or IANA cipher suite names separated by ':' that the "
            + "TLS stack in use supports, e.g. ECDHE-ECDSA-AES128-GCM-SHA256 or TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)";

    private CipherSuites() {
    }

    /**
     * The Java names for {@code names}, in their order, followed by the default TLS 1.3 suites when none are named.
     *
     * @throws IllegalArgumentException naming the first cipher the stack does not know
     */
    static List<String> resolve(List<String> names, SslProvider provider) {
        Set<String> supported = supported(provider);
        Set<String> chosen = new LinkedHashSet<>();
        boolean tls13Named = false;
        for (String name : names) {
            String java = supported.contains(name) ? name : CipherSuiteConverter.toJava(name, "TLS");
            if (java == null || !supported.contains(java)) {
                throw new IllegalArgumentException("unknown cipher '" + name + "' for the " + stackName(provider)
                        + " TLS stack " + EXPECTED);
            }
            tls13Named |= isTls13(java);
            chosen.add(java);
        }
        List<String> defaults13 = defaultTls13(provider);
        if (tls13Named && provider == SslProvider.OPENSSL && !chosen.containsAll(defaults13)) {
            throw new IllegalArgumentException("TLS 1.3 suites cannot be chosen on the OpenSSL provider (BoringSSL "
                    + "offers " + String.join(", ", defaults13) + " always; expected TLS 1.2 suites only, or the JDK "
                    + "provider)");
        }
        List<String> result = new ArrayList<>(chosen);
        if (!tls13Named) {
            result.addAll(defaults13);
        }
        return result;
    }

    static String stackName(SslProvider provider) {
        return provider == SslProvider.OPENSSL ? OpenSsl.versionString() : "JDK";
    }

    private static boolean isTls13(String javaName) {
        return javaName.startsWith("TLS_") && !javaName.contains("_WITH_") && !javaName.endsWith("_SCSV");
    }

    private static Set<String> supported(SslProvider provider) {
        if (provider == SslProvider.OPENSSL) {
            return OpenSsl.availableJavaCipherSuites();
        }
        return Set.of(jdkContext().getSupportedSSLParameters().getCipherSuites());
    }

    private static List<String> defaultTls13(SslProvider provider) {
        List<String> all = provider == SslProvider.OPENSSL
                ? new ArrayList<>(OpenSsl.availableJavaCipherSuites())
                : List.of(jdkContext().getDefaultSSLParameters().getCipherSuites());
        return all.stream().filter(CipherSuites::isTls13).distinct().toList();
    }

    private static SSLContext jdkContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
