package dev.pen.netty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.TlsSettings;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.HeaderEchoBackend;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Programs;
import io.netty.handler.ssl.OpenSsl;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pen's {@code ssl_*} settings with real TLS clients (the JDK's SSLSocket, openssl s_client, curl) and
 * certificates made by openssl for each run, all signed by one test CA: certificates by server name, cipher
 * lists, {@code no_tlsv1.2}, and OCSP stapling.
 */
class TlsTuningTest {
    private static final String AES128 = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String AES256 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
    @TempDir
    static Path certs;
    @TempDir
    Path work;
    private final Closer resources = new Closer();

    @BeforeAll
    static void makeCertificates() throws Exception {
        Programs.require("openssl");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=pen test CA");
        signed("server", "localhost");
        Path names = Files.createDirectories(certs.resolve("names"));
        for (String name : List.of("a.example", "b.example")) {
            signed(name, name);
            Files.move(certs.resolve(name + ".pem"), names.resolve(name + ".crt"));
            Files.move(certs.resolve(name + ".key"), names.resolve(name + ".key"));
        }
        // A certificate beside the directory, which "../outside" would reach.
        signed("outside", "outside");
        Files.move(certs.resolve("outside.pem"), certs.resolve("outside.crt"));
        // An OCSP response from the CA for the default certificate (status unknown: the CA's index is empty).
        Files.writeString(certs.resolve("index.txt"), "");
        openssl("ocsp", "-issuer", "ca.pem", "-cert", "server.pem", "-reqout", "req.der", "-no_nonce");
        openssl("ocsp", "-index", "index.txt", "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem", "-reqin",
                "req.der", "-respout", "server.ocsp", "-ndays", "1");
    }

    /** {@code name}.pem and .key: a certificate for {@code host} signed by the test CA. */
    private static void signed(String name, String host) {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                name + ".key", "-out", name + ".csr", "-subj", "/CN=" + host, "-addext",
                "subjectAltName=DNS:" + host + ",IP:127.0.0.1");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-copy_extensions", "copy", "-out", name + ".pem", "-days", "2");
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        for (String a : args) {
            command.add(a.matches("[a-z.]+\\.(key|pem|csr|der|ocsp|txt)") ? certs.resolve(a).toString() : a);
        }
        Programs.check(command);
    }

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private static TlsSettings serverTls() {
        return TlsSettings.of(certs.resolve("server.pem")).withKey(certs.resolve("server.key"));
    }

    private Balancer balancer(TlsSettings tls, String backend) {
        return keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").tls(tls).backend(backend)
                .build()));
    }

    /** A balancer on the provider named ({@code openssl} or {@code jdk}); skips where OpenSSL does not load. */
    private Balancer balancer(String provider, TlsSettings tls, String backend) {
        Assumptions.assumeTrue(provider.equals("jdk") || OpenSsl.isAvailable(), "OpenSSL provider not loadable");
        System.setProperty("pen.tls.provider", provider);
        try {
            return balancer(tls, backend);
        } finally {
            System.clearProperty("pen.tls.provider");
        }
    }

    private static int port(Balancer lb) {
        return Clients.port(lb.localAddress());
    }

    private static SSLContext trustingTheCa() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certs.resolve("ca.pem"))) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A handshake with the JDK's client, asking for {@code serverName} (null: none), with these versions. */
    private SSLSocket handshake(Balancer lb, String serverName, String[] protocols, String... ciphers)
            throws Exception {
        SSLSocket s = keep((SSLSocket) trustingTheCa().getSocketFactory().createSocket("127.0.0.1", port(lb)));
        s.setSoTimeout(5_000);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        if (protocols != null) {
            p.setProtocols(protocols);
        }
        if (ciphers.length > 0) {
            p.setCipherSuites(ciphers);
        }
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static String subject(SSLSocket s) throws Exception {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private static List<String> sClient(Balancer lb, String... extra) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port(lb)));
        command.addAll(List.of(extra));
        return command;
    }

    // ---- server names ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void eachServerNameGetsItsOwnCertificate(String provider) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(provider, serverTls().withSniDirectory(certs.resolve("names")), echo.spec());
        SSLSocket a = handshake(lb, "a.example", null);
        assertThat(subject(a)).isEqualTo("CN=a.example");
        assertThat(Clients.readLine(a)).as("relayed after the named handshake").isEqualTo("echo");
        assertThat(subject(handshake(lb, "b.example", null))).isEqualTo("CN=b.example");
        assertThat(subject(handshake(lb, "B.Example", null))).as("names are case-blind").isEqualTo("CN=b.example");
    }

    @Test
    void aNameWithoutFilesAndAClientWithoutANameGetTheDefault() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(serverTls().withSniDirectory(certs.resolve("names")), echo.spec());
        assertThat(subject(handshake(lb, "c.example", null))).isEqualTo("CN=localhost");
        assertThat(subject(handshake(lb, null, null))).isEqualTo("CN=localhost");
    }

    @Test
    void opensslAndCurlAreShownTheNamedCertificate() {
        Programs.require("curl");
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(serverTls().withSniDirectory(certs.resolve("names")), backend.spec());
        String out = Programs.check(sClient(lb, "-servername", "b.example"));
        assertThat(out).containsPattern("subject=\\s*CN\\s*=\\s*b\\.example");
        // curl checks that the certificate is for the name it asked for.
        String body = Programs.check(List.of("curl", "-sS", "--max-time", "10", "--http1.1", "--cacert",
                certs.resolve("ca.pem").toString(), "--resolve", "a.example:" + port(lb) + ":127.0.0.1",
                "https://a.example:" + port(lb) + "/named"));
        assertThat(body).startsWith("GET /named HTTP/1.1\n");
    }

    @Test
    void aNameReachingOutsideTheDirectoryIsRefused() {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(serverTls().withSniDirectory(certs.resolve("names")), echo.spec());
        for (String hostile : List.of("../outside", "..", "a.example/../../outside")) {
            Programs.Result r = Programs.run(sClient(lb, "-servername", hostile));
            assertThat(r.output()).as(hostile).doesNotContain("CN = outside").doesNotContain("CN=outside")
                    .doesNotContainPattern("subject=\\s*CN");
        }
        Await.until("the refused clients are gone", () -> lb.activeConnections() == 0);
        assertThat(echo.accepted()).as("no server was connected for them").isZero();
    }

    @Test
    void serverNamesKeptAreBounded() throws Exception {
        ServerNames names = new ServerNames(Files.createDirectories(work.resolve("empty")), null, n -> {
            throw new AssertionError("no file, nothing to load");
        });
        List<CompletableFuture<ServerContext>> loads = new ArrayList<>();
        for (int i = 0; i < ServerNames.MAX_NAMES + 100; i++) {
            loads.add(names.lookup("host" + i + ".example"));
            if (loads.size() == 200) {
                CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
                loads.clear();
            }
        }
        CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
        assertThat(names.cached()).isEqualTo(ServerNames.MAX_NAMES);
        assertThat(names.lookup("a/b")).isCompletedExceptionally();
        assertThat(names.lookup("..")).isCompletedExceptionally();
    }

    @Test
    void aServerNameDirectoryThatIsNotOneIsRefusedNamingIt() {
        Path missing = work.resolve("missing");
        assertThatThrownBy(() -> TlsTerminator.load(serverTls().withSniDirectory(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("server name directory " + missing + ": not a directory");
    }

    // ---- ciphers and versions -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void theCipherListRestrictsTheHandshake(String provider) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(provider, serverTls().withCiphers("ECDHE-ECDSA-AES128-GCM-SHA256"), echo.spec());
        String[] tls12 = {"TLSv1.2"};
        assertThatThrownBy(() -> handshake(lb, null, tls12, AES256)).isInstanceOf(SSLException.class);
        assertThat(handshake(lb, null, tls12, AES128, AES256).getSession().getCipherSuite()).isEqualTo(AES128);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void theServersOrderOfCiphersWins(String provider) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(provider, serverTls().withCiphers(AES256 + ":ECDHE-ECDSA-AES128-GCM-SHA256")
                .withOption("cipher_server_preference", true), echo.spec());
        String[] tls12 = {"TLSv1.2"};
        assertThat(handshake(lb, null, tls12, AES128, AES256).getSession().getCipherSuite()).isEqualTo(AES256);
    }

    @Test
    void opensslClientWithACipherLeftOutIsRefused() {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(serverTls().withCiphers("ECDHE-ECDSA-AES128-GCM-SHA256"), echo.spec());
        Programs.Result refused = Programs.run(sClient(lb, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"));
        assertThat(refused.output()).doesNotContainPattern("subject=\\s*CN");
        String ok = Programs.check(sClient(lb, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"));
        assertThat(ok).contains("ECDHE-ECDSA-AES128-GCM-SHA256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void anUnknownCipherIsRefusedNamingIt(String provider) {
        Assumptions.assumeTrue(provider.equals("jdk") || OpenSsl.isAvailable(), "OpenSSL provider not loadable");
        System.setProperty("pen.tls.provider", provider);
        try {
            assertThatThrownBy(() -> TlsTerminator.load(serverTls().withCiphers(AES128 + ":NOT-A-CIPHER")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("unknown cipher 'NOT-A-CIPHER' for the ");
        } finally {
            System.clearProperty("pen.tls.provider");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void noTls12LeavesTls13Only(String provider) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(provider, serverTls().withOption("no_tlsv1.2", true), echo.spec());
        assertThatThrownBy(() -> handshake(lb, null, new String[] {"TLSv1.2"})).isInstanceOf(SSLException.class);
        assertThat(handshake(lb, null, null).getSession().getProtocol()).isEqualTo("TLSv1.3");
        Programs.Result r = Programs.run(sClient(lb, "-tls1_2"));
        assertThat(r.output()).doesNotContainPattern("subject=\\s*CN");
    }

    @Test
    void anUpdateOfTheCipherListAppliesToNewClients() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(serverTls(), echo.spec());
        String[] tls12 = {"TLSv1.2"};
        assertThat(handshake(lb, null, tls12, AES256).getSession().getCipherSuite()).isEqualTo(AES256);
        lb.update(c -> c.toBuilder().tls(c.tls().withCiphers("ECDHE-ECDSA-AES128-GCM-SHA256")).build());
        assertThatThrownBy(() -> handshake(lb, null, tls12, AES256)).isInstanceOf(SSLException.class);
    }

    // ---- OCSP stapling --------------------------------------------------------------------------------------------

    @Test
    void theOcspResponseIsStapled() throws Exception {
        Assumptions.assumeTrue(OpenSsl.isAvailable() && OpenSsl.isOcspSupported(), "no OCSP in the OpenSSL provider");
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer plain = balancer(serverTls(), echo.spec());
        assertThat(Programs.check(sClient(plain, "-status"))).contains("OCSP response: no response sent");
        Balancer lb = balancer(serverTls().withOcspResponse(certs.resolve("server.ocsp")), echo.spec());
        assertThat(Programs.check(sClient(lb, "-status"))).contains("OCSP Response Status: successful");
    }

    @Test
    void aNamesOcspResponseIsStapledWithItsCertificate() throws Exception {
        Assumptions.assumeTrue(OpenSsl.isAvailable() && OpenSsl.isOcspSupported(), "no OCSP in the OpenSSL provider");
        Path names = Files.createDirectories(work.resolve("names"));
        Files.copy(certs.resolve("server.pem"), names.resolve("localhost.crt"));
        Files.copy(certs.resolve("server.key"), names.resolve("localhost.key"));
        Files.copy(certs.resolve("server.ocsp"), names.resolve("localhost.ocsp"));
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(TlsSettings.of(certs.resolve("names/a.example.crt"))
                .withKey(certs.resolve("names/a.example.key")).withSniDirectory(names), echo.spec());
        String out = Programs.check(sClient(lb, "-status", "-servername", "localhost"));
        assertThat(out).contains("OCSP Response Status: successful").containsPattern("subject=\\s*CN\\s*=\\s*localhost");
        assertThat(Programs.check(sClient(lb, "-status", "-servername", "a.example")))
                .contains("OCSP response: no response sent");
    }

    @Test
    void staplingOnTheJdkProviderIsRefusedInOneLine() {
        System.setProperty("pen.tls.provider", "jdk");
        try {
            assertThatThrownBy(() -> TlsTerminator.load(serverTls().withOcspResponse(certs.resolve("server.ocsp"))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("OCSP stapling needs netty-tcnative's OpenSSL provider")
                    .hasMessageNotContaining("\n");
        } finally {
            System.clearProperty("pen.tls.provider");
        }
    }

    @Test
    void anOcspFileThatIsNotDerIsRefusedNamingIt() throws Exception {
        Assumptions.assumeTrue(OpenSsl.isAvailable() && OpenSsl.isOcspSupported(), "no OCSP in the OpenSSL provider");
        Path pem = certs.resolve("server.pem");
        assertThatThrownBy(() -> TlsTerminator.load(serverTls().withOcspResponse(pem)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("OCSP response file " + pem + ": not DER");
    }
}
