package dev.pen.launcher.modes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.HeaderEchoBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS termination with bin/pen -E -K (the HOWTO's https, with backends that speak plain http): curl over https
 * with the test's own self-signed certificate, a renewed certificate served after HUP, client certificates with
 * -R -G, and the HOWTO's -h recipe for http and https side by side.
 */
class HttpsIT {
    @TempDir
    Path dir;
    private Processes programs;
    private HeaderEchoBackend one;
    private HeaderEchoBackend two;

    @BeforeEach
    void programs() {
        Processes.require("curl");
        Processes.require("openssl");
        programs = new Processes(dir);
        one = new HeaderEchoBackend();
        two = new HeaderEchoBackend();
    }

    @AfterEach
    void cleanUp() {
        programs.close();
        one.close();
        two.close();
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, named {@code cn}, and its key, written to files. */
    private void selfSigned(String cn, Path cert, Path key) throws Exception {
        programs.check("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + cn,
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
    }

    private String curl(String... args) throws Exception {
        String[] command = new String[args.length + 4];
        command[0] = "curl";
        command[1] = "-sS";
        command[2] = "--max-time";
        command[3] = "10";
        System.arraycopy(args, 0, command, 4, args.length);
        return programs.check(command);
    }

    /** The subject of the certificate the server at {@code port} shows, as openssl s_client prints it. */
    private String servedSubject(int port) throws Exception {
        Processes.Result r = programs.run("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                "localhost");
        return r.out().lines().filter(l -> l.startsWith("subject=")).findFirst().orElse("(no certificate)");
    }

    @Test
    void curlOverHttpsReachesAPlainHttpBackendWithProtoHttps() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned("pen-test", cert, key);
        int port = Processes.freeTcpPort();
        programs.pen("pen.pid", "-H", "-E", cert.toString(), "-K", key.toString(), "127.0.0.1:" + port,
                one.spec());

        String body = curl("--cacert", cert.toString(), "https://localhost:" + port + "/secure");
        assertThat(body).contains("GET /secure HTTP/1.1").contains("X-Forwarded-Proto: https")
                .contains("X-Forwarded-For: 127.0.0.1");
        assertThat(servedSubject(port)).contains("CN = pen-test");
    }

    @Test
    void afterHupARenewedCertificateIsServed() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned("first", cert, key);
        int port = Processes.freeTcpPort();
        programs.pen("pen.pid", "-E", cert.toString(), "-K", key.toString(), "127.0.0.1:" + port, one.spec());
        assertThat(servedSubject(port)).contains("CN = first");

        Path newCert = dir.resolve("new-cert.pem");
        Path newKey = dir.resolve("new-key.pem");
        selfSigned("second", newCert, newKey);
        Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(newCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        programs.check("kill", "-HUP", Long.toString(programs.pid("pen.pid")));

        Await.until("the renewed certificate served", Processes.WAIT, () -> {
            try {
                return servedSubject(port).contains("CN = second");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(curl("--cacert", cert.toString(), "https://127.0.0.1:" + port + "/")).contains("GET / HTTP/1.1");
    }

    @Test
    void withDashROnlyAClientWithACertificateFromTheDashGCaGetsThrough() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned("pen-test", cert, key);
        Path caCert = dir.resolve("ca.pem");
        Path caKey = dir.resolve("ca.key");
        selfSigned("test-ca", caCert, caKey);
        Path clientKey = dir.resolve("client.key");
        Path clientCsr = dir.resolve("client.csr");
        Path clientCert = dir.resolve("client.pem");
        programs.check("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", clientKey.toString(), "-out", clientCsr.toString(), "-subj", "/CN=client");
        programs.check("openssl", "x509", "-req", "-in", clientCsr.toString(), "-CA", caCert.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-out", clientCert.toString(), "-days", "2");
        int port = Processes.freeTcpPort();
        programs.pen("pen.pid", "-R", "-G", caCert.toString(), "-E", cert.toString(), "-K", key.toString(),
                "127.0.0.1:" + port, one.spec());
        String url = "https://127.0.0.1:" + port + "/";

        Processes.Result refused = programs.run("curl", "-sS", "--max-time", "10", "--cacert", cert.toString(), url);
        assertThat(refused.status()).as("curl without a client certificate").isNotZero();
        assertThat(one.requests()).isZero();
        assertThat(curl("--cacert", cert.toString(), "--cert", clientCert.toString(), "--key", clientKey.toString(),
                url)).contains("GET / HTTP/1.1");
    }

    @Test
    void withDashHTheSameClientReachesTheSameServerOverHttpAndHttps() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned("pen-test", cert, key);
        int http = Processes.freeTcpPort();
        int https = Processes.freeTcpPort();
        // The HOWTO: pen -l pen80.log -p pen80.pid -h lbhost:80 host1:80 host2:80, and the same for 443.
        programs.pen("pen80.pid", "-l", "pen80.log", "-h", "127.0.0.1:" + http, one.spec(), two.spec());
        programs.pen("pen443.pid", "-l", "pen443.log", "-h", "-E", cert.toString(), "-K", key.toString(),
                "127.0.0.1:" + https, one.spec(), two.spec());

        Set<String> used = new HashSet<>();
        for (int client = 2; client <= 9; client++) {
            String address = "127.0.0." + client;
            String overHttp = served(() -> curl("--interface", address, "http://127.0.0.1:" + http + "/"));
            String overHttps = served(() -> curl("--interface", address, "--cacert", cert.toString(),
                    "https://127.0.0.1:" + https + "/"));
            assertThat(overHttps).as("server for client %s over https", address).isEqualTo(overHttp);
            used.add(overHttp);
        }
        assertThat(used).as("servers chosen for eight clients").containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void badTlsInputStopsPenAtStartWithOneLineNamingIt() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path otherCert = dir.resolve("other-cert.pem");
        Path otherKey = dir.resolve("other-key.pem");
        selfSigned("pen-test", cert, key);
        selfSigned("other", otherCert, otherKey);
        String listen = "127.0.0.1:" + Processes.freeTcpPort();

        Processes.Result missing = programs.run(Processes.bin("pen"), "-E", dir.resolve("missing.pem").toString(),
                listen, one.spec());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("missing.pem").hasLineCount(1);

        Processes.Result mismatch = programs.run(Processes.bin("pen"), "-E", cert.toString(), "-K",
                otherKey.toString(), listen, one.spec());
        assertThat(mismatch.status()).isEqualTo(1);
        assertThat(mismatch.err()).contains("other-key.pem").hasLineCount(1);

        Processes.Result protocol = programs.run(Processes.bin("pen"), "-L", "tls9", "-E", cert.toString(), "-K",
                key.toString(), listen, one.spec());
        assertThat(protocol.status()).isEqualTo(1);
        assertThat(protocol.err()).isEqualTo("protocol version tls9 not known\n");
        assertThat(Processes.listening(Integer.parseInt(listen.substring(listen.indexOf(':') + 1)))).isFalse();
    }

    @Test
    void oldSslProtocolStartsWithOneWarningLine() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned("pen-test", cert, key);
        int port = Processes.freeTcpPort();
        Processes.Result started = programs.pen("pen.pid", "-L", "ssl3", "-E", cert.toString(), "-K",
                key.toString(), "127.0.0.1:" + port, one.spec());
        assertThat(started.out() + started.err()).hasLineCount(1).contains("ssl3").contains("TLS 1.2");
        assertThat(curl("--cacert", cert.toString(), "https://127.0.0.1:" + port + "/")).contains("GET / HTTP/1.1");
    }

    private interface Request {
        String send() throws Exception;
    }

    /** Which backend answered {@code request}. */
    private String served(Request request) throws Exception {
        int before = one.requests();
        int beforeTwo = two.requests();
        request.send();
        if (one.requests() > before) {
            return "one";
        }
        assertThat(two.requests()).isGreaterThan(beforeTwo);
        return "two";
    }
}
