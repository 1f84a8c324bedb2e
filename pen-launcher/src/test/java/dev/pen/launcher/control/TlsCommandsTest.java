package dev.pen.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.BalancerConfig;
import dev.pen.api.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pen's {@code ssl_*} commands on the interpreter: each changes the configuration's TLS settings, a bad or missing
 * argument is a one-line error that changes nothing, they are refused without TLS, and {@code write} gives them
 * back to {@code -F}.
 */
class TlsCommandsTest {
    private static final Path CERT = Path.of("cert.pem");
    private final FakeHost host = new FakeHost();
    private final Settings settings = new Settings();
    private final List<String> fileReplies = new ArrayList<>();
    private final Interpreter pen = new Interpreter(host, settings, fileReplies::add);

    @TempDir
    Path dir;

    private void tlsOn() {
        host.config = host.config.toBuilder().tls(TlsSettings.of(CERT)).build();
    }

    private TlsSettings tls() {
        return host.config.tls();
    }

    @Test
    void withoutTlsEveryCommandIsRefusedAndNothingChanges() {
        BalancerConfig before = host.config;
        for (String command : List.of("ssl_ciphers AES128-SHA", "ssl_option no_tlsv1.2", "ssl_sni_path /tmp",
                "ssl_ocsp_response /tmp/x.der", "ssl_client_renegotiation_interval 10", "no ssl_sni_path")) {
            String name = command.startsWith("no ") ? "no ssl_sni_path" : command.substring(0, command.indexOf(' '));
            assertThat(pen.execute(command)).as(command).isEqualTo(name
                    + ": TLS is off (expected -E CERTFILE on the command line to turn it on)\n");
        }
        assertThat(host.config).isEqualTo(before);
        assertThat(host.updates).isEmpty();
    }

    @Test
    void sslCiphersSetsTheListAndWithoutOneGoesBackToTheDefaults() {
        tlsOn();
        assertThat(pen.execute("ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"))
                .isEmpty();
        assertThat(tls().cipherNames()).containsExactly("ECDHE-RSA-AES128-GCM-SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        assertThat(pen.execute("ssl_ciphers")).isEmpty();
        assertThat(tls().ciphers()).isNull();
    }

    @Test
    void aCipherListWithABadNameIsRefusedNamingIt() {
        tlsOn();
        assertThat(pen.execute("ssl_ciphers AES128-SHA::HIGH")).isEqualTo("ssl_ciphers: bad cipher name '' in "
                + "AES128-SHA::HIGH (expected OpenSSL or IANA cipher suite names separated by ':')\n");
        assertThat(pen.execute("ssl_ciphers !aNULL")).startsWith("ssl_ciphers: bad cipher name '!aNULL'");
        assertThat(tls().ciphers()).isNull();
    }

    @Test
    void theBalancersRefusalOfACipherIsTheReply() {
        tlsOn();
        host.refusal = "unknown cipher 'NOPE' for the JDK TLS stack (expected ...)";
        assertThat(pen.execute("ssl_ciphers NOPE")).isEqualTo("ssl_ciphers: " + host.refusal + "\n");
        assertThat(tls().ciphers()).isNull();
    }

    @Test
    void sslOptionAddsAndNoSslOptionRemoves() {
        tlsOn();
        assertThat(pen.execute("ssl_option no_tlsv1.2")).isEmpty();
        assertThat(pen.execute("ssl_option cipher_server_preference")).isEmpty();
        assertThat(tls().options()).containsExactly("no_tlsv1.2", "cipher_server_preference");
        assertThat(tls().protocols()).containsExactly("TLSv1.3");
        assertThat(pen.execute("no ssl_option no_tlsv1.2")).isEmpty();
        assertThat(tls().protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void sslOptionWithoutOrWithAnUnknownWordIsAnError() {
        tlsOn();
        String expected = "no_sslv2, no_sslv3, no_tlsv1, no_tlsv1.1, no_tlsv1.2, cipher_server_preference";
        assertThat(pen.execute("ssl_option")).isEqualTo("ssl_option: missing argument (expected one of " + expected
                + ")\n");
        assertThat(pen.execute("ssl_option no_tlsv1.3")).isEqualTo("ssl_option: unknown option 'no_tlsv1.3' "
                + "(expected one of " + expected + ")\n");
        assertThat(tls().options()).isEmpty();
    }

    @Test
    void commandsThatCrashPenWithoutAnArgumentAreErrors() {
        tlsOn();
        assertThat(pen.execute("ssl_ocsp_response")).isEqualTo("ssl_ocsp_response: missing argument (expected a DER "
                + "OCSP response file)\n");
        assertThat(pen.execute("ssl_client_renegotiation_interval")).isEqualTo("ssl_client_renegotiation_interval: "
                + "missing argument (expected seconds, 0 or more)\n");
        assertThat(pen.execute("ssl_client_renegotiation_interval -1")).isEqualTo(
                "ssl_client_renegotiation_interval: unexpected value -1 (expected seconds, 0 or more)\n");
        assertThat(pen.execute("ssl_sni_path")).isEqualTo("ssl_sni_path: missing argument (expected a directory)\n");
        assertThat(tls()).isEqualTo(TlsSettings.of(CERT));
    }

    @Test
    void writeGivesTheSettingsBackAndMinusFReadsThemToTheSameState() throws Exception {
        tlsOn();
        for (String command : List.of("ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256", "ssl_option no_tlsv1.2",
                "ssl_option no_sslv3", "ssl_sni_path /etc/pen/names", "ssl_ocsp_response /etc/pen/ocsp.der",
                "ssl_client_renegotiation_interval 60")) {
            assertThat(pen.execute(command)).as(command).isEmpty();
        }
        TlsSettings written = tls();
        Path file = dir.resolve("pen.cfg");
        assertThat(pen.execute("write " + file)).isEmpty();
        String text = Files.readString(file);
        assertThat(text).contains("ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256\n"
                + "ssl_client_renegotiation_interval 60\n"
                + "ssl_ocsp_response /etc/pen/ocsp.der\n"
                + "ssl_option no_sslv3\n"
                + "ssl_option no_tlsv1.2\n"
                + "ssl_sni_path /etc/pen/names\n");
        host.config = host.config.toBuilder().tls(TlsSettings.of(CERT)).build();
        pen.executeFile(file);
        assertThat(fileReplies).as("no error from the ssl_ lines").noneMatch(r -> r.contains("ssl_"));
        assertThat(tls()).isEqualTo(written);
    }

    @Test
    void theSameOcspResponseFileAgainReadsItAgainAndNoSslOcspResponseStopsStapling() {
        tlsOn();
        assertThat(pen.execute("ssl_ocsp_response /etc/pen/ocsp.der")).isEmpty();
        assertThat(tls().ocspResponse()).isEqualTo(Path.of("/etc/pen/ocsp.der"));
        assertThat(host.tlsReloads).isZero();
        assertThat(pen.execute("ssl_ocsp_response /etc/pen/ocsp.der")).isEmpty();
        assertThat(host.tlsReloads).as("read again, as pen does").isEqualTo(1);
        assertThat(pen.execute("no ssl_ocsp_response")).isEmpty();
        assertThat(tls().ocspResponse()).isNull();
    }

    @Test
    void writeLeavesTheDefaultsOut() throws Exception {
        tlsOn();
        Path file = dir.resolve("pen.cfg");
        pen.execute("write " + file);
        assertThat(Files.readString(file)).doesNotContain("ssl_");
    }
}
