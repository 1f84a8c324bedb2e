package dev.pen.launcher.modes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PROXY protocol with real servers behind bin/pen: nginx ({@code listen ... proxy_protocol}) logs the real
 * client of a curl bound to 127.0.0.5, with v1 and v2, also through a chain of two balancers; dovecot
 * ({@code haproxy_trusted_networks}) names the real client of a POP3 login; a header from an address outside
 * {@code --accept-proxy} is refused and counted; a bad version or network stops pen at start with one line.
 */
class ProxyProtocolIT {
    private static final String CLIENT = "127.0.0.5";

    @TempDir
    Path dir;
    private Processes programs;

    @BeforeEach
    void programs() {
        programs = new Processes(dir);
    }

    @AfterEach
    void cleanUp() {
        if (programs != null) {
            programs.close();
        }
    }

    /** An nginx whose one listener reads a PROXY header (v1 or v2) and logs its address and the peer's. */
    private int nginx() throws Exception {
        Processes.require("nginx");
        int port = Processes.freeTcpPort();
        Path root = Files.createDirectories(dir.resolve("nginx"));
        Files.writeString(root.resolve("index.html"), "nginx\n");
        Path conf = root.resolve("nginx.conf");
        StringBuilder temp = new StringBuilder();
        for (String t : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            temp.append("  ").append(t).append("_temp_path ").append(root.resolve(t)).append(";\n");
        }
        Files.writeString(conf, String.join("\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + root.resolve("nginx.pid") + ";",
                "error_log " + root.resolve("error.log") + ";",
                "events { worker_connections 64; }",
                "http {",
                "  log_format proxied '$proxy_protocol_addr $remote_addr \"$request\"';",
                "  access_log " + root.resolve("proxied.log") + " proxied;",
                temp.toString(),
                "  server { listen 127.0.0.1:" + port + " proxy_protocol; root " + root + "; }",
                "}", ""));
        programs.start("nginx", Path.of("/usr/sbin/nginx").toFile().exists() ? "/usr/sbin/nginx" : "nginx",
                "-p", root.toString(), "-c", conf.toString());
        programs.await("nginx listening", () -> Processes.listening(port), "nginx", "nginx/error.log");
        return port;
    }

    private List<String> nginxLines() throws IOException {
        Path log = dir.resolve("nginx/proxied.log");
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
    }

    private String curlFromTheClient(int port) throws Exception {
        Processes.require("curl");
        return programs.check("curl", "-sS", "--max-time", "10", "--interface", CLIENT, "http://127.0.0.1:" + port + "/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2"})
    void nginxLogsTheRealClientOfARequestThroughPen(String version) throws Exception {
        int nginx = nginx();
        int pen = Processes.freeTcpPort();
        programs.pen("pen.pid", "--proxy-protocol", version, "127.0.0.1:" + pen, "127.0.0.1:" + nginx);
        assertThat(curlFromTheClient(pen)).isEqualTo("nginx\n");
        programs.await("nginx's log line", () -> {
            try {
                return !nginxLines().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, "nginx/error.log");
        assertThat(nginxLines()).containsExactly(CLIENT + " 127.0.0.1 \"GET / HTTP/1.1\"");
    }

    @Test
    void aChainOfTwoBalancersKeepsTheClientEndToEnd() throws Exception {
        int nginx = nginx();
        int inner = Processes.freeTcpPort();
        int outer = Processes.freeTcpPort();
        programs.pen("inner.pid", "-l", dir.resolve("inner.log").toString(), "--accept-proxy", "127.0.0.1/32",
                "--proxy-protocol", "v2", "127.0.0.1:" + inner, "127.0.0.1:" + nginx);
        programs.pen("outer.pid", "--proxy-protocol", "v2", "127.0.0.1:" + outer, "127.0.0.1:" + inner);
        assertThat(curlFromTheClient(outer)).isEqualTo("nginx\n");
        programs.await("nginx's log line", () -> {
            try {
                return !nginxLines().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, "nginx/error.log");
        assertThat(nginxLines()).containsExactly(CLIENT + " 127.0.0.1 \"GET / HTTP/1.1\"");
        // The inner balancer's own log names the client too; pen writes it at least once a second.
        programs.await("the inner balancer's log line", () -> programs.show("inner.log").startsWith(CLIENT + " "),
                "inner.log");
    }

    @Test
    void aHeaderFromAnAddressOutsideTheTrustedNetworksIsRefusedAndCounted() throws Exception {
        int nginx = nginx();
        int pen = Processes.freeTcpPort();
        int control = Processes.freeTcpPort();
        Path page = dir.resolve("status.html");
        programs.pen("pen.pid", "-u", Processes.USER, "-C", "127.0.0.1:" + control, "-w", page.toString(), "--accept-proxy",
                "127.0.0.9/32", "--proxy-protocol", "v1", "127.0.0.1:" + pen, "127.0.0.1:" + nginx);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(CLIENT), 0));
            s.connect(new InetSocketAddress("127.0.0.1", pen), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("PROXY TCP4 192.0.2.1 127.0.0.1 1234 80\r\nGET / HTTP/1.0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(in.readAllBytes()).as("nothing answers a forged header").isEmpty();
        }
        // A client from the same address without a header is served, and nginx sees it as itself.
        assertThat(curlFromTheClient(pen)).isEqualTo("nginx\n");
        programs.await("nginx's log line", () -> {
            try {
                return !nginxLines().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, "nginx/error.log");
        assertThat(nginxLines()).containsExactly(CLIENT + " 127.0.0.1 \"GET / HTTP/1.1\"");
        programs.penctl("127.0.0.1:" + control, "status");
        assertThat(programs.show("status.html")).contains("<h2>PROXY protocol</h2>Headers refused: 1<p>");
    }

    @Test
    void dovecotNamesTheRealClientOfAPop3LoginThroughPen() throws Exception {
        Processes.require("dovecot");
        if (!"root".equals(Processes.USER)) {
            Processes.skipOrFail("dovecot needs root to run its processes as the dovecot users");
        }
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = Processes.freeTcpPort();
        Path home = dir.resolve("dovecot");
        Path mail = Files.createDirectories(home.resolve("mail/test"));
        for (String sub : new String[] {"new", "cur", "tmp"}) {
            Files.createDirectories(mail.resolve(sub));
        }
        programs.check("chown", "-R", "dovecot:dovecot", home.toString());
        Path conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, String.join("\n",
                "base_dir = " + home.resolve("run"),
                "state_dir = " + home.resolve("state"),
                "log_path = " + home.resolve("dovecot.log"),
                "protocols = pop3",
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",
                "auth_mechanisms = plain",
                "haproxy_trusted_networks = 127.0.0.1/32",
                "default_internal_user = dovecot",
                "default_internal_group = dovecot",
                "default_login_user = dovenull",
                "first_valid_uid = 1",
                "passdb {",
                "  driver = static",
                "  args = password=secret",
                "}",
                "userdb {",
                "  driver = static",
                "  args = uid=dovecot gid=dovecot home=" + home.resolve("home/%u") + " mail=maildir:"
                        + home.resolve("mail/%u"),
                "}",
                "service pop3-login {",
                "  chroot =",
                "  inet_listener pop3 {",
                "    address = 127.0.0.1",
                "    port = " + port,
                "    haproxy = yes",
                "  }",
                "}",
                "service anvil {",
                "  chroot =",
                "}",
                ""));
        programs.start("dovecot", "dovecot", "-F", "-c", conf.toString());
        programs.await("dovecot listening", () -> Processes.listening(port), "dovecot", "dovecot/dovecot.log");
        int pen = Processes.freeTcpPort();
        programs.pen("pen.pid", "--proxy-protocol", "v2", "127.0.0.1:" + pen, "127.0.0.1:" + port);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(CLIENT), 0));
            s.connect(new InetSocketAddress("127.0.0.1", pen), 5000);
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            // The server speaks first: the header went before it, with no byte from the client.
            assertThat(in.readLine()).as(programs.show("dovecot/dovecot.log")).startsWith("+OK");
            for (String command : new String[] {"USER test", "PASS secret"}) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).startsWith("+OK");
            }
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.readLine();
        }
        programs.await("dovecot's login line", () -> programs.show("dovecot/dovecot.log").contains("Login: user=<test>"),
                "dovecot/dovecot.log");
        String login = programs.show("dovecot/dovecot.log").lines().filter(l -> l.contains("Login: user=<test>"))
                .findFirst().orElseThrow();
        assertThat(login).contains("rip=" + CLIENT);
    }

    @Test
    void aBadVersionOrNetworkStopsPenAtStartWithOneLine() throws Exception {
        int pen = Processes.freeTcpPort();
        Processes.Result version = programs.run(Processes.bin("pen"), "--proxy-protocol", "v3", "127.0.0.1:" + pen,
                "127.0.0.1:80");
        assertThat(version.status()).isEqualTo(1);
        assertThat(version.err()).isEqualTo(
                "pen: --proxy-protocol: unexpected PROXY protocol version 'v3' (expected v1, v2 or off)\n");
        Processes.Result network = programs.run(Processes.bin("pen"), "--accept-proxy=10.0.0.0/8,10.1.2.3/16",
                "127.0.0.1:" + pen, "127.0.0.1:80");
        assertThat(network.status()).isEqualTo(1);
        assertThat(network.err()).isEqualTo("pen: --accept-proxy: bad network '10.1.2.3/16': network 10.1.2.3/16"
                + " has host bits set (expected 10.1.0.0/16)\n");
        Processes.Result udp = programs.run(Processes.bin("pen"), "-U", "--proxy-protocol", "v1", "127.0.0.1:" + pen,
                "127.0.0.1:80");
        assertThat(udp.status()).isEqualTo(1);
        assertThat(udp.err()).contains("PROXY protocol with UDP").hasLineCount(1);
        assertThat(Processes.listening(pen)).isFalse();
    }
}
