package dev.pen.launcher.modes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HOWTO's smtp recipe, {@code pen -l pen.log -p pen.pid -r lbhost:25 host1:25 host2:25}: swaks sends mail
 * through bin/pen to two SMTP servers on loopback ports, and with -r both get mail.
 */
class HowtoSmtpIT {
    /**
     * A minimal SMTP server (Python's smtpd module is gone from Python 3.12): each message it accepts is written to
     * a file of its own in the directory given, and its replies name the server.
     */
    private static final String SMTP_SERVER = """
            import os, socketserver, sys
            name, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
            class Session(socketserver.StreamRequestHandler):
                def reply(self, text):
                    self.wfile.write((text + "\\r\\n").encode("latin-1"))
                    self.wfile.flush()
                def handle(self):
                    self.reply("220 " + name + " ESMTP test server")
                    data = None
                    for raw in self.rfile:
                        line = raw.decode("latin-1").rstrip("\\r\\n")
                        if data is not None:
                            if line == ".":
                                n = len(os.listdir(out))
                                with open(os.path.join(out, "tmp"), "w") as f:
                                    f.write("\\n".join(data) + "\\n")
                                os.rename(os.path.join(out, "tmp"), os.path.join(out, "%d.eml" % n))
                                data = None
                                self.reply("250 queued by " + name)
                            else:
                                data.append(line[1:] if line.startswith("..") else line)
                            continue
                        verb = line[:4].upper()
                        if verb in ("EHLO", "HELO"):
                            self.reply("250 " + name)
                        elif verb == "DATA":
                            data = []
                            self.reply("354 end with .")
                        elif verb == "QUIT":
                            self.reply("221 bye")
                            return
                        else:
                            self.reply("250 OK")
            socketserver.ThreadingTCPServer.allow_reuse_address = True
            socketserver.ThreadingTCPServer.daemon_threads = True
            with socketserver.ThreadingTCPServer(("127.0.0.1", port), Session) as server:
                server.serve_forever()
            """;

    @TempDir
    Path dir;
    private Processes programs;

    @BeforeEach
    void programs() {
        Processes.require("swaks");
        Processes.require("python3");
        programs = new Processes(dir);
    }

    @AfterEach
    void cleanUp() {
        programs.close();
    }

    private int smtpServer(String name) throws IOException {
        Path script = dir.resolve("smtp-server.py");
        if (!Files.exists(script)) {
            Files.writeString(script, SMTP_SERVER);
        }
        Path mail = Files.createDirectories(dir.resolve(name + "-mail"));
        int port = Processes.freeTcpPort();
        programs.start(name, "python3", script.toString(), name, Integer.toString(port), mail.toString());
        return port;
    }

    private List<Path> mail(String name) {
        try (Stream<Path> files = Files.list(dir.resolve(name + "-mail"))) {
            return files.filter(f -> f.toString().endsWith(".eml")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void swaksSendsMailThroughPenAndRoundRobinUsesBothServers() throws Exception {
        int host1 = smtpServer("one");
        int host2 = smtpServer("two");
        Await.until("both SMTP servers listening", Processes.WAIT,
                () -> Processes.listening(host1) && Processes.listening(host2));
        int port = Processes.freeTcpPort();
        programs.pen("pen.pid", "-l", "pen.log", "-r", "127.0.0.1:" + port, "127.0.0.1:" + host1,
                "127.0.0.1:" + host2);

        for (int i = 1; i <= 4; i++) {
            String out = programs.check("swaks", "--server", "127.0.0.1:" + port, "--from", "sender@example.test",
                    "--to", "rcpt@example.test", "--header", "Subject: mail " + i, "--body", "body of mail " + i);
            assertThat(out).contains("<-  250 queued by");
        }

        assertThat(mail("one")).hasSize(2);
        assertThat(mail("two")).hasSize(2);
        assertThat(Files.readString(mail("one").get(0))).contains("Subject: mail").contains("body of mail");
        Path log = dir.resolve("pen.log");
        Await.until("pen.log has the MAIL FROM of four sessions", Processes.WAIT, () -> {
            try {
                return Files.exists(log) && Files.readAllLines(log).stream()
                        .filter(l -> l.matches("127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 MAIL FROM:<sender@example\\.test>.*"))
                        .count() == 4;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
