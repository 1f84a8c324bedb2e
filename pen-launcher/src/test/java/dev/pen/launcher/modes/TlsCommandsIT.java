package dev.pen.launcher.modes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.HeaderEchoBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pen's {@code ssl_*} commands on bin/pen: {@code -o ssl_sni_path} at start, and {@code ssl_option} and
 * {@code ssl_ciphers} through penctl on a running balancer, seen by openssl s_client and curl.
 */
class TlsCommandsIT {
    @TempDir
    Path dir;
    private Processes programs;
    private HeaderEchoBackend backend;
    private Path cert;
    private Path key;

    @BeforeEach
    void programs() throws Exception {
        Processes.require("curl");
        Processes.require("openssl");
        programs = new Processes(dir);
        backend = new HeaderEchoBackend();
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        selfSigned("localhost", cert, key);
    }

    @AfterEach
    void cleanUp() {
        programs.close();
        backend.close();
    }

    private void selfSigned(String cn, Path certificate, Path privateKey) throws Exception {
        programs.check("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", privateKey.toString(), "-out", certificate.toString(), "-days", "2", "-subj",
                "/CN=" + cn, "-addext", "subjectAltName=DNS:" + cn + ",IP:127.0.0.1");
    }

    /** What openssl s_client prints for a handshake with {@code args}; a refused one shows no certificate. */
    private String sClient(int port, String... args) throws Exception {
        String[] command = new String[args.length + 4];
        command[0] = "openssl";
        command[1] = "s_client";
        command[2] = "-connect";
        command[3] = "127.0.0.1:" + port;
        System.arraycopy(args, 0, command, 4, args.length);
        Processes.Result r = programs.run(command);
        return r.out().lines().filter(l -> l.startsWith("subject=") || l.startsWith("New, "))
                .reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void serverNamesFromAnSniDirectoryGivenWithDashO() throws Exception {
        Path names = Files.createDirectories(dir.resolve("names"));
        selfSigned("www.example", names.resolve("www.example.crt"), names.resolve("www.example.key"));
        int port = Processes.freeTcpPort();
        programs.pen("pen.pid", "-o", "ssl_sni_path " + names, "-E", cert.toString(), "-K", key.toString(),
                "127.0.0.1:" + port, backend.spec());
        assertThat(sClient(port, "-servername", "www.example")).contains("CN = www.example");
        assertThat(sClient(port, "-servername", "other.example")).contains("CN = localhost");
        String body = programs.check("curl", "-sS", "--max-time", "10", "--cacert",
                names.resolve("www.example.crt").toString(), "--resolve", "www.example:" + port + ":127.0.0.1",
                "https://www.example:" + port + "/named");
        assertThat(body).contains("GET /named HTTP/1.1");
    }

    @Test
    void penctlTurnsTls12OffAndRefusesAnUnknownCipherKeepingTheOldList() throws Exception {
        int port = Processes.freeTcpPort();
        int controlPort = Processes.freeTcpPort();
        String control = "127.0.0.1:" + controlPort;
        programs.pen("pen.pid", "-u", Processes.USER, "-C", control, "-E", cert.toString(), "-K", key.toString(), "127.0.0.1:" + port,
                backend.spec());
        assertThat(sClient(port, "-tls1_2")).contains("CN = localhost");

        assertThat(programs.penctl(control, "ssl_option", "no_tlsv1.2")).isEmpty();
        assertThat(sClient(port, "-tls1_2")).doesNotContain("subject=");
        assertThat(sClient(port)).contains("CN = localhost").contains("TLSv1.3");

        assertThat(programs.penctl(control, "ssl_ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256:NO-SUCH-CIPHER"))
                .startsWith("ssl_ciphers: unknown cipher 'NO-SUCH-CIPHER' for the ").hasLineCount(1);
        assertThat(programs.penctl(control, "no", "ssl_option", "no_tlsv1.2")).isEmpty();
        assertThat(sClient(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384")).contains("CN = localhost");
        assertThat(programs.penctl(control, "ssl_ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256")).isEmpty();
        assertThat(sClient(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384")).doesNotContain("subject=");

        Path file = dir.resolve("written.cfg");
        programs.penctl(control, "write", file.toString());
        assertThat(Files.readString(file)).contains("ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256\n");
    }
}
