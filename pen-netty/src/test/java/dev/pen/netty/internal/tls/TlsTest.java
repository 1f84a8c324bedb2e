package dev.pen.netty.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.TlsSettings;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.HeaderEchoBackend;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Programs;
import dev.pen.netty.testing.Transports;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS termination with certificates made by openssl for each run: https through the balancer to plain backends,
 * client certificates, reloading, and the one-line errors for bad files.
 */
class TlsTest {
    @TempDir
    static Path certs;
    @TempDir
    Path work;
    private final Closer resources = new Closer();

    @BeforeAll
    static void makeCertificates() {
        Programs.require("openssl");
        String ec = "ec_paramgen_curve:prime256v1";
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "server.key", "-out",
                "server.pem", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "renewed.key", "-out",
                "renewed.pem", "-days", "2", "-subj", "/CN=renewed",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=pen test CA");
        openssl("req", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "client.key", "-out", "client.csr",
                "-subj", "/CN=client");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.pem", "-days", "2");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "stranger.key", "-out",
                "stranger.pem", "-days", "2", "-subj", "/CN=stranger");
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        for (int i = 1; i < command.size(); i++) {
            String a = command.get(i);
            if (a.endsWith(".key") || a.endsWith(".pem") || a.endsWith(".csr")) {
                command.set(i, certs.resolve(a).toString());
            }
        }
        Programs.check(command);
    }

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private static TlsSettings serverTls() {
        return TlsSettings.of(certs.resolve("server.pem")).withKey(certs.resolve("server.key"));
    }

    private Balancer balancer(Transport transport, TlsSettings tls, boolean http, String backend) {
        return keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").transport(transport)
                .tls(tls).http(http).backend(backend).build()));
    }

    private static String port(Balancer lb) {
        return Integer.toString(Clients.port(lb.localAddress()));
    }

    private static List<String> curl(Balancer lb, String... extra) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--http1.1", "--cacert",
                certs.resolve("server.pem").toString(), "--resolve", "localhost:" + port(lb) + ":127.0.0.1"));
        command.addAll(List.of(extra));
        command.add("https://localhost:" + port(lb) + "/tls");
        return command;
    }

    /** A client context that trusts {@code certificate} only. */
    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** The subject of the certificate the balancer shows to a new client. */
    private static String servedSubject(Balancer lb) throws Exception {
        X509TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {any}, null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                Clients.port(lb.localAddress()))) {
            s.setSoTimeout(5_000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void tlsClientsReachAPlainBackendIntact(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(transport, serverTls(), false, echo.spec());
        try (SSLSocket s = (SSLSocket) trusting(certs.resolve("server.pem")).getSocketFactory()
                .createSocket("localhost", Clients.port(lb.localAddress()))) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("echo\n");
            byte[] data = new byte[1024 * 1024];
            new Random(3).nextBytes(data);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(data);
                    out.flush();
                } catch (java.io.IOException e) {
                    // the read below fails then
                }
            });
            writer.start();
            assertThat(in.readNBytes(data.length)).isEqualTo(data);
            writer.join(10_000);
        }
        assertThat(echo.accepted()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void clientThatNeverFinishesItsHandshakeIsClosedAndHoldsNoServerConnection(Transport transport)
            throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        TlsSettings tls = serverTls().withCaFile(certs.resolve("ca.pem")).withRequireClientCertificate(true);
        Balancer lb = keep(NettyBalancer.start(BalancerConfig.builder().listen("127.0.0.1:0").transport(transport)
                .tls(tls).handshakeTimeout(Duration.ofMillis(300)).backend(echo.spec()).build()));
        java.net.Socket s = keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
        s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a ClientHello, never finished
        long start = System.nanoTime();
        s.setSoTimeout(10_000);
        try {
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // closed with unread bytes: a reset is a close too
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(200L, 5_000L);
        Await.until("the slot is free", () -> lb.activeConnections() == 0);
        assertThat(lb.backend(0).orElseThrow().totalConnections()).isZero();
        assertThat(echo.accepted()).isZero();
    }

    @Test
    void withHashAClientGoesToTheSameServerOverHttpAndHttps() throws Exception {
        List<NamedBackend> backends = List.of(keep(new NamedBackend("a")), keep(new NamedBackend("b")),
                keep(new NamedBackend("c")));
        List<Balancer> listeners = new ArrayList<>();
        for (TlsSettings tls : java.util.Arrays.asList(null, serverTls())) {
            BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0").tls(tls)
                    .modes(dev.pen.api.Modes.DEFAULT.withHash(true));
            backends.forEach(backend -> b.backend(backend.spec()));
            listeners.add(keep(NettyBalancer.start(b.build())));
        }
        SSLContext context = trusting(certs.resolve("server.pem"));
        Set<String> spread = new HashSet<>();
        for (String from : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6")) {
            String plain = Clients.greeting(from, Clients.port(listeners.get(0).localAddress()));
            try (java.net.Socket raw = Clients.connect(from, Clients.port(listeners.get(1).localAddress()));
                    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost",
                            raw.getPort(), true)) {
                assertThat(Clients.readLine(s)).as("server for %s", from).isEqualTo(plain);
            }
            spread.add(plain);
        }
        assertThat(spread).as("clients spread over the servers").hasSizeGreaterThan(1);
    }

    @Test
    void curlOverHttpsGetsThroughWithForwardedProtoHttps() {
        Programs.require("curl");
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(Transport.AUTO, serverTls(), true, backend.spec());
        String out = Programs.check(curl(lb));
        assertThat(out).startsWith("GET /tls HTTP/1.1\n")
                .contains("X-Forwarded-Proto: https\n", "X-Forwarded-For: 127.0.0.1\n");
    }

    @Test
    void opensslClientIsShownTheCertificate() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(Transport.AUTO, serverTls(), false, echo.spec());
        String out = Programs.check(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port(lb),
                "-servername", "localhost"));
        String pem = Files.readString(certs.resolve("server.pem")).trim();
        assertThat(out).contains(pem).containsPattern("subject=\\s*CN\\s*=\\s*localhost");
    }

    @Test
    void requiredClientCertificateRefusesAClientWithoutOne() {
        Programs.require("curl");
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(Transport.AUTO, serverTls().withCaFile(certs.resolve("ca.pem"))
                .withRequireClientCertificate(true), true, backend.spec());
        Programs.Result r = Programs.run(curl(lb));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        Await.until("connection closed", () -> lb.activeConnections() == 0);
        assertThat(backend.requests()).isZero();
    }

    @Test
    void requiredClientCertificateSignedByTheCaGetsThrough() {
        Programs.require("curl");
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(Transport.AUTO, serverTls().withCaFile(certs.resolve("ca.pem"))
                .withRequireClientCertificate(true), true, backend.spec());
        String out = Programs.check(curl(lb, "--cert", certs.resolve("client.pem").toString(), "--key",
                certs.resolve("client.key").toString()));
        assertThat(out).startsWith("GET /tls HTTP/1.1\n");
    }

    @Test
    void clientCertificateFromAnotherCaIsRefused() {
        Programs.require("curl");
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(Transport.AUTO, serverTls().withCaFile(certs.resolve("ca.pem"))
                .withRequireClientCertificate(true), true, backend.spec());
        Programs.Result r = Programs.run(curl(lb, "--cert", certs.resolve("stranger.pem").toString(), "--key",
                certs.resolve("stranger.key").toString()));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(backend.requests()).isZero();
    }

    @Test
    void caDirectoryVouchesForClientCertificates() throws Exception {
        Programs.require("curl");
        Path dir = Files.createDirectories(work.resolve("cadir"));
        Files.copy(certs.resolve("ca.pem"), dir.resolve("ca.pem"));
        Files.writeString(dir.resolve("README"), "not a certificate\n");
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(Transport.AUTO, serverTls().withCaDirectory(dir).withRequireClientCertificate(true),
                true, backend.spec());
        String out = Programs.check(curl(lb, "--cert", certs.resolve("client.pem").toString(), "--key",
                certs.resolve("client.key").toString()));
        assertThat(out).startsWith("GET /tls HTTP/1.1\n");
    }

    @Test
    void reloadServesTheRenewedCertificateToNewClients() throws Exception {
        Path cert = Files.copy(certs.resolve("server.pem"), work.resolve("cert.pem"));
        Path key = Files.copy(certs.resolve("server.key"), work.resolve("key.pem"));
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(Transport.AUTO, TlsSettings.of(cert).withKey(key), false, echo.spec());
        assertThat(servedSubject(lb)).isEqualTo("CN=localhost");
        Files.copy(certs.resolve("renewed.pem"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certs.resolve("renewed.key"), key, StandardCopyOption.REPLACE_EXISTING);
        lb.reloadTls();
        assertThat(servedSubject(lb)).isEqualTo("CN=renewed");
    }

    @Test
    void failedReloadNamesTheFileAndKeepsTheOldCertificate() throws Exception {
        Path cert = Files.copy(certs.resolve("server.pem"), work.resolve("cert.pem"));
        Path key = Files.copy(certs.resolve("server.key"), work.resolve("key.pem"));
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(Transport.AUTO, TlsSettings.of(cert).withKey(key), false, echo.spec());
        Files.copy(certs.resolve("renewed.key"), key, StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(lb::reloadTls).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key.toString()).hasMessageContaining("does not match");
        assertThat(servedSubject(lb)).isEqualTo("CN=localhost");
    }

    @Test
    void anUpdatedCertificateIsShownToNewClientsWhileOpenOnesCarryOn() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(Transport.AUTO, serverTls(), false, echo.spec());
        SSLSocket open = (SSLSocket) trusting(certs.resolve("server.pem")).getSocketFactory()
                .createSocket("127.0.0.1", Clients.port(lb.localAddress()));
        keep(open);
        assertThat(Clients.readLine(open)).isEqualTo("echo");
        lb.update(c -> c.toBuilder().tls(TlsSettings.of(certs.resolve("renewed.pem"))
                .withKey(certs.resolve("renewed.key"))).build());
        assertThat(servedSubject(lb)).isEqualTo("CN=renewed");
        open.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(Clients.readLine(open)).isEqualTo("ping");
    }

    @Test
    void anUpdateWithAnUnusableCertificateIsRefusedWhole() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(Transport.AUTO, serverTls(), false, echo.spec());
        BalancerConfig before = lb.config();
        assertThatThrownBy(() -> lb.update(c -> c.toBuilder().http(true).tls(TlsSettings.of(work.resolve("gone.pem")))
                .build())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gone.pem");
        assertThat(lb.config()).isEqualTo(before);
        assertThat(servedSubject(lb)).isEqualTo("CN=localhost");
    }

    @Test
    void keyInsideTheCertificateFileIsFound() throws Exception {
        Path both = work.resolve("both.pem");
        Files.writeString(both, Files.readString(certs.resolve("server.pem"))
                + Files.readString(certs.resolve("server.key")));
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(Transport.AUTO, TlsSettings.of(both), false, echo.spec());
        assertThat(servedSubject(lb)).isEqualTo("CN=localhost");
    }

    @Test
    void traditionalEcKeyFormIsRead() throws Exception {
        Path sec1 = work.resolve("sec1.key");
        Programs.check(List.of("openssl", "ec", "-in", certs.resolve("server.key").toString(), "-out",
                sec1.toString()));
        assertThat(Files.readString(sec1)).contains("BEGIN EC PRIVATE KEY");
        TlsTerminator t = TlsTerminator.load(serverTls().withKey(sec1));
        assertThat(t.chain()).hasSize(1);
    }

    @Test
    void traditionalRsaKeyFormIsRead() throws Exception {
        Path key = work.resolve("rsa.key");
        Path cert = work.resolve("rsa.pem");
        Programs.check(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=rsa"));
        Path pkcs1 = work.resolve("pkcs1.key");
        Programs.check(List.of("openssl", "rsa", "-in", key.toString(), "-traditional", "-out", pkcs1.toString()));
        assertThat(Files.readString(pkcs1)).contains("BEGIN RSA PRIVATE KEY");
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(Transport.AUTO, TlsSettings.of(cert).withKey(pkcs1), false, echo.spec());
        assertThat(servedSubject(lb)).isEqualTo("CN=rsa");
    }

    @Test
    void jdkProviderServesTlsToo() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        System.setProperty("pen.tls.provider", "jdk");
        Balancer lb;
        try {
            lb = balancer(Transport.AUTO, serverTls(), false, echo.spec());
        } finally {
            System.clearProperty("pen.tls.provider");
        }
        assertThat(servedSubject(lb)).isEqualTo("CN=localhost");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"openssl", "jdk"})
    void aClientMayNotRenegotiate(String provider) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(provider.equals("jdk")
                || io.netty.handler.ssl.OpenSsl.isAvailable(), "OpenSSL provider not loadable here");
        NamedBackend echo = keep(new NamedBackend("echo"));
        System.setProperty("pen.tls.provider", provider);
        Balancer lb;
        try {
            lb = balancer(Transport.AUTO, serverTls(), false, echo.spec());
        } finally {
            System.clearProperty("pen.tls.provider");
        }
        SSLSocket s = (SSLSocket) trusting(certs.resolve("server.pem")).getSocketFactory()
                .createSocket("127.0.0.1", Clients.port(lb.localAddress()));
        keep(s);
        s.setEnabledProtocols(new String[] {"TLSv1.2"}); // TLS 1.3 has no renegotiation at all
        s.setSoTimeout(5_000);
        assertThat(Clients.readLine(s)).isEqualTo("echo");
        assertThatThrownBy(() -> {
            s.startHandshake(); // a second handshake on an established session: a renegotiation
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            if (Clients.readLine(s) == null) {
                throw new java.io.IOException("closed");
            }
        }).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void tls13FloorRefusesATls12Client() throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = balancer(Transport.AUTO, serverTls().withProtocol("tls1.3"), false, echo.spec());
        SSLContext context = trusting(certs.resolve("server.pem"));
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("localhost",
                Clients.port(lb.localAddress()))) {
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.setSoTimeout(5_000);
            assertThatThrownBy(s::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        }
        assertThat(servedSubject(lb)).as("a TLS 1.3 client gets through").isEqualTo("CN=localhost");
    }

    @Test
    void requiredClientCertificateWithoutANamedCaFailsTheStart() {
        assertThatThrownBy(() -> balancer(Transport.AUTO, serverTls().withRequireClientCertificate(true), false,
                "127.0.0.1:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client certificates required but no CA named to check them against (expected a CA file "
                        + "or directory: -G or -A with -R)");
    }

    @Test
    void missingCertificateFileFailsTheStartNamingIt() {
        Path missing = work.resolve("missing.pem");
        assertThatThrownBy(() -> balancer(Transport.AUTO, TlsSettings.of(missing), false, "127.0.0.1:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("certificate file " + missing + ": can't read it (no such file; expected a readable PEM "
                        + "file)");
    }

    @Test
    void certificateFileWithoutACertificateFailsTheStart() throws Exception {
        Path notPem = Files.writeString(work.resolve("cert.pem"), "hello\n");
        assertThatThrownBy(() -> balancer(Transport.AUTO, TlsSettings.of(notPem), false, "127.0.0.1:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certificate file " + notPem + ": no certificate found");
    }

    @Test
    void keyThatDoesNotMatchTheCertificateFailsTheStart() {
        Path key = certs.resolve("renewed.key");
        assertThatThrownBy(() -> balancer(Transport.AUTO, serverTls().withKey(key), false, "127.0.0.1:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key file " + key + ": the key does not match the certificate");
    }

    @Test
    void certificateFileWithoutAKeyFailsTheStart() {
        Path cert = certs.resolve("server.pem");
        assertThatThrownBy(() -> balancer(Transport.AUTO, TlsSettings.of(cert), false, "127.0.0.1:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("key file " + cert + ": no private key found");
    }
}
