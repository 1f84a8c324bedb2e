package dev.pen.launcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    private final FakeHost host = new FakeHost();
    private final Interpreter interpreter = new Interpreter(host, new Settings(), r -> { });
    private ControlServer control;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (control != null) {
            control.close();
        }
    }

    private String penctl(String target, String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] args = new String[command.length + 1];
        args[0] = target;
        System.arraycopy(command, 0, args, 1, command.length);
        int status = Penctl.run(args, new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream()));
        assertThat(status).isZero();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private String tcpTarget() throws Exception {
        return "127.0.0.1:" + ((InetSocketAddress) control.localAddress()).getPort();
    }

    @Test
    void answersOneCommandPerConnection() throws Exception {
        control = ControlServer.open("127.0.0.1:0", interpreter, n -> host.config.accessLists().get(n), host);
        assertThat(penctl(tcpTarget(), "mode")).isEqualTo("no hash no roundrobin no stubborn no weight no prio\n");
    }

    @Test
    void servesAUnixSocketPath() throws Exception {
        Path socket = dir.resolve("pen.ctl");
        control = ControlServer.open(socket.toString(), interpreter, n -> host.config.accessLists().get(n), host);
        assertThat(penctl(socket.toString(), "blacklist", "9")).isEqualTo("9\n");
    }

    @Test
    void closingLeavesTheSocketFileOfAProcessThatBoundThePathSince() throws Exception {
        Path socket = dir.resolve("pen.ctl");
        ControlServer old = ControlServer.open(socket.toString(), interpreter, n -> host.config.accessLists().get(n),
                host);
        control = ControlServer.open(socket.toString(), interpreter, n -> host.config.accessLists().get(n), host);
        old.close();
        assertThat(socket).exists();
        assertThat(penctl(socket.toString(), "blacklist", "9")).isEqualTo("9\n");
        control.close();
        control = null;
        assertThat(socket).doesNotExist();
    }

    @Test
    void clientDeniedByControlAclIsClosedWithoutReply() throws Exception {
        interpreter.execute("acl 2 permit 127.0.0.2");
        interpreter.execute("control_acl 2");
        control = ControlServer.open("127.0.0.1:0", interpreter, n -> host.config.accessLists().get(n), host);
        assertThat(penctl(tcpTarget(), "mode")).isEmpty();
        assertThat(host.diagnostics).contains("do_ctrl: not from there");
    }

    @Test
    void silentClientDoesNotHoldUpOthers() throws Exception {
        control = ControlServer.open("127.0.0.1:0", interpreter, n -> host.config.accessLists().get(n), host);
        try (Socket silent = new Socket("127.0.0.1", ((InetSocketAddress) control.localAddress()).getPort())) {
            assertThat(penctl(tcpTarget(), "timeout")).isEqualTo("3\n");
        }
    }
}
