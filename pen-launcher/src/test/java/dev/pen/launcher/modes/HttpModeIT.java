package dev.pen.launcher.modes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.HeaderEchoBackend;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/pen -H in front of a backend that echoes the request headers it got, with curl as the client. */
class HttpModeIT {
    @TempDir
    Path dir;
    private Processes programs;
    private HeaderEchoBackend backend;
    private int port;
    private String control;

    @BeforeEach
    void penWithHttpMode() throws Exception {
        Processes.require("curl");
        programs = new Processes(dir);
        backend = new HeaderEchoBackend();
        port = Processes.freeTcpPort();
        control = "127.0.0.1:" + Processes.freeTcpPort();
        programs.pen("pen.pid", "-H", "-u", Processes.USER, "-C", control, "127.0.0.1:" + port, backend.spec());
    }

    @AfterEach
    void cleanUp() {
        programs.close();
        backend.close();
    }

    private String curl(String... urls) throws Exception {
        String[] command = new String[urls.length + 4];
        command[0] = "curl";
        command[1] = "-sS";
        command[2] = "--max-time";
        command[3] = "10";
        System.arraycopy(urls, 0, command, 4, urls.length);
        return programs.check(command);
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void everyRequestOfAKeepAliveConnectionGetsTheForwardedHeaders() throws Exception {
        String url = "http://127.0.0.1:" + port + "/";
        // curl sends the five requests one after the other on one connection.
        String bodies = curl(url + "1", url + "2", url + "3", url + "4", url + "5");
        assertThat(count(bodies, "X-Forwarded-For: 127.0.0.1\n")).isEqualTo(5);
        assertThat(count(bodies, "X-Forwarded-Proto: http\n")).isEqualTo(5);
        assertThat(bodies).contains("GET /5 HTTP/1.1");
    }

    @Test
    void noHttpTurnsTheHeadersOffForNewConnectionsAndHttpBackOn() throws Exception {
        String url = "http://127.0.0.1:" + port + "/";
        assertThat(curl(url)).contains("X-Forwarded-For: 127.0.0.1");
        assertThat(programs.penctl(control, "no", "http")).isEmpty();
        assertThat(curl(url)).doesNotContain("X-Forwarded-For").doesNotContain("X-Forwarded-Proto");
        assertThat(programs.penctl(control, "http")).isEmpty();
        assertThat(curl(url)).contains("X-Forwarded-For: 127.0.0.1").contains("X-Forwarded-Proto: http");
    }

    @Test
    void writeRecordsTheHttpModeAsPenDoes() throws Exception {
        Path file = dir.resolve("written.cfg");
        programs.penctl(control, "write", file.toString());
        assertThat(java.nio.file.Files.readAllLines(file)).contains("http");
        programs.penctl(control, "no", "http");
        programs.penctl(control, "write", file.toString());
        assertThat(java.nio.file.Files.readAllLines(file)).contains("no http").doesNotContain("http");
    }
}
