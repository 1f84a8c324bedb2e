package dev.pen.launcher.modes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HOWTO's pop3 recipe, {@code pen -p pen.pid pop3 localhost:1110 otherhost:pop3}: bin/pen listens on
 * 127.0.0.1:pop3 (the service name, port 110) in front of two dovecot POP3 servers on loopback ports, and a
 * client logs in and lists its mail through it. The one test with a fixed port: it is skipped when port 110 is
 * taken (or cannot be bound by this user), except under CI=true.
 */
class HowtoPop3IT {
    @TempDir
    Path dir;
    private Processes programs;

    @BeforeEach
    void programs() throws IOException {
        Processes.require("dovecot");
        if (!"root".equals(Processes.USER)) {
            // dovecot's login and mail processes need users of their own, which only root can switch to.
            Processes.skipOrFail("dovecot needs root to run its processes as the dovecot users");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", 110));
        } catch (IOException e) {
            Processes.skipOrFail("port 110 (pop3) is not free on 127.0.0.1: " + e.getMessage());
        }
        programs = new Processes(dir);
        // dovecot's mail process runs as the dovecot user and must reach the mail under this directory.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() {
        if (programs != null) {
            programs.close();
        }
    }

    /** A dovecot serving POP3 only, user {@code test} with password {@code secret} and one message. */
    private int dovecot(String name) throws Exception {
        int port = Processes.freeTcpPort();
        Path home = dir.resolve(name);
        Path mail = Files.createDirectories(home.resolve("mail/test"));
        for (String sub : new String[] {"new", "cur", "tmp"}) {
            Files.createDirectories(mail.resolve(sub));
        }
        Files.writeString(mail.resolve("new/1.eml"), "From: a@example.test\r\nSubject: for " + name
                + "\r\n\r\nhello from " + name + "\r\n");
        programs.check("chown", "-R", "dovecot:dovecot", home.toString());
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, String.join("\n",
                "base_dir = " + home.resolve("run"),
                "state_dir = " + home.resolve("state"),
                "log_path = " + home.resolve("dovecot.log"),
                "protocols = pop3",
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",
                "auth_mechanisms = plain",
                "login_greeting = pop3 " + name + " ready",
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
                "  }",
                "}",
                "service anvil {",
                "  chroot =",
                "}",
                ""));
        programs.start("dovecot-" + name, "dovecot", "-F", "-c", conf.toString());
        return port;
    }

    /** A POP3 session from {@code client}: greeting, USER, PASS, LIST, QUIT; returns every line read. */
    private static List<String> popSession(String client, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(client), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            List<String> lines = new ArrayList<>();
            lines.add(in.readLine());
            for (String command : new String[] {"USER test", "PASS secret", "LIST"}) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                lines.add(in.readLine());
            }
            for (String line = in.readLine(); line != null && !line.equals("."); line = in.readLine()) {
                lines.add(line);
            }
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            lines.add(in.readLine());
            return lines;
        }
    }

    @Test
    void loginAndListThroughPenOnThePop3ServiceReachBothServers() throws Exception {
        int one = dovecot("one");
        int two = dovecot("two");
        programs.await("both dovecot listening", () -> Processes.listening(one) && Processes.listening(two),
                "dovecot-one", "dovecot-two", "one/dovecot.log", "two/dovecot.log");
        programs.pen("pen.pid", "127.0.0.1:pop3", "127.0.0.1:" + one, "127.0.0.1:" + two);

        List<String> first = popSession("127.0.0.2", 110);
        assertThat(first.get(0)).matches("\\+OK pop3 (one|two) ready");
        assertThat(first.subList(1, 4)).as(programs.show("one/dovecot.log") + programs.show("two/dovecot.log"))
                .containsExactly("+OK", "+OK Logged in.", "+OK 1 messages:");
        assertThat(first.get(4)).matches("1 \\d+");
        assertThat(first.get(5)).startsWith("+OK");

        List<String> again = popSession("127.0.0.2", 110);
        assertThat(again.get(0)).as("a returning client goes to its server").isEqualTo(first.get(0));
        List<String> other = popSession("127.0.0.3", 110);
        assertThat(other.get(0)).as("a new client goes to the next server").isNotEqualTo(first.get(0))
                .matches("\\+OK pop3 (one|two) ready");
        assertThat(other.subList(1, 4)).containsExactly("+OK", "+OK Logged in.", "+OK 1 messages:");
    }
}
