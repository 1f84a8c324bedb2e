package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pen's {@code abort_on_error}: a fatal error ends pen on SIGABRT instead of status 1. */
class AbortOnErrorIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** What a shell (and Java) shows for a process ended by SIGABRT. */
    private static final int ABORTED = 128 + 6;

    @TempDir
    Path dir;
    private Programs programs;
    private ServerSocket busy;

    @BeforeEach
    void setUp() throws IOException {
        programs = new Programs(dir);
        // A port in use: pen cannot bind its listener there, a fatal error.
        busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void cleanUp() throws IOException {
        programs.close();
        busy.close();
    }

    /** bin/pen with {@code args} on the busy port, with no core file left behind (ulimit -c 0). */
    private Programs.Result pen(String... args) throws Exception {
        String command = "ulimit -c 0; exec \"$0\" \"$@\"";
        String[] all = new String[args.length + 6];
        all[0] = "sh";
        all[1] = "-c";
        all[2] = command;
        all[3] = Programs.bin("pen");
        System.arraycopy(args, 0, all, 4, args.length);
        all[all.length - 2] = "127.0.0.1:" + busy.getLocalPort();
        all[all.length - 1] = "127.0.0.1:" + Programs.freePort();
        return programs.run(WAIT, all);
    }

    @Test
    void fatalErrorExitsWithStatusOneByDefault() throws Exception {
        Programs.Result r = pen("-f");
        assertThat(r.err()).contains("can't bind local address");
        assertThat(r.status()).isEqualTo(1);
    }

    @Test
    void fatalErrorAbortsWithAbortOnError() throws Exception {
        Programs.Result r = pen("-f", "-o", "abort_on_error");
        assertThat(r.err()).contains("can't bind local address");
        assertThat(r.status()).isEqualTo(ABORTED);
    }

    @Test
    void fatalErrorAbortsWithAbortOnErrorInTheBackgroundToo() throws Exception {
        Programs.Result r = pen("-o", "abort_on_error");
        assertThat(r.err()).contains("can't bind local address");
        assertThat(r.status()).isEqualTo(ABORTED);
    }

    @Test
    void noAbortOnErrorAfterItExitsWithStatusOne() throws Exception {
        Programs.Result r = pen("-f", "-o", "abort_on_error", "-o", "no abort_on_error");
        assertThat(r.status()).isEqualTo(1);
    }
}
