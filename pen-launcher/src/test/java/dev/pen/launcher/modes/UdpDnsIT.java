package dev.pen.launcher.modes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pen -U in front of two dnsmasq on loopback ports that give different answers for example.test, with dig
 * as the client from several loopback addresses.
 */
class UdpDnsIT {
    @TempDir
    Path dir;
    private Processes programs;
    private int port;
    private String control;

    @BeforeEach
    void penInFrontOfTwoDnsmasq() throws Exception {
        Processes.require("dnsmasq");
        Processes.require("dig");
        programs = new Processes(dir);
        int one = dnsmasq("one", "10.0.0.1");
        int two = dnsmasq("two", "10.0.0.2");
        port = Processes.freeUdpPort();
        control = "127.0.0.1:" + Processes.freeTcpPort();
        programs.pen("pen.pid", "-U", "-u", Processes.USER, "-C", control, "127.0.0.1:" + port,
                "127.0.0.1:" + one, "127.0.0.1:" + two);
    }

    @AfterEach
    void cleanUp() {
        programs.close();
    }

    /** Starts a dnsmasq answering {@code answer} for example.test; tries another port if its port was taken. */
    private int dnsmasq(String name, String answer) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int p = Processes.freeTcpAndUdpPort();
            Process dnsmasq = programs.start("dnsmasq-" + name, "dnsmasq", "-k", "--conf-file=/dev/null",
                    "--port=" + p, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                    "--pid-file=", "--address=/example.test/" + answer);
            programs.await("dnsmasq " + name + " answering or gone",
                    () -> !dnsmasq.isAlive() || answer.equals(dig("127.0.0.1", p)), "dnsmasq-" + name);
            if (dnsmasq.isAlive() || attempt == 3) {
                return p;
            }
        }
    }

    /** dig's short answer for example.test from {@code client} to 127.0.0.1:{@code server}. */
    private String dig(String client, int server) {
        try {
            Processes.Result r = programs.run("dig", "-b", client, "@127.0.0.1", "-p", Integer.toString(server),
                    "example.test", "+short", "+tries=1", "+time=2");
            return r.status() == 0 ? r.out().trim() : "(dig exited " + r.status() + ": " + r.out().trim() + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void answersComeBackAClientSticksAndClientsSpread() {
        Set<String> answers = new HashSet<>();
        for (int client = 2; client <= 5; client++) {
            String address = "127.0.0." + client;
            String first = dig(address, port);
            assertThat(first).as("answer for %s", address).isIn("10.0.0.1", "10.0.0.2");
            assertThat(dig(address, port)).as("second answer for %s", address).isEqualTo(first);
            answers.add(first);
        }
        assertThat(answers).as("answers for four clients").containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
    }

    @Test
    void idleTimeoutIsTheUdpSessionTimeoutAndEndsIdleSessions() throws Exception {
        assertThat(programs.penctl(control, "idle_timeout")).isEqualTo("Idle timeout: 60 seconds\n");
        assertThat(dig("127.0.0.2", port)).isIn("10.0.0.1", "10.0.0.2");
        assertThat(openSessions()).isPositive();
        assertThat(programs.penctl(control, "idle_timeout", "1")).isEqualTo("Idle timeout: 1 seconds\n");
        programs.await("idle UDP sessions ended", () -> openSessions() == 0);
    }

    @Test
    void listenMovesTheListenerAndItStaysUdp() throws Exception {
        int moved = Processes.freeUdpPort();
        assertThat(programs.penctl(control, "listen", "127.0.0.1:" + moved)).isEqualTo("127.0.0.1:" + moved + "\n");
        assertThat(dig("127.0.0.2", moved)).isIn("10.0.0.1", "10.0.0.2");
    }

    /** The sum of the servers' {@code conn} figures in penctl's {@code servers}: the sessions open now. */
    private int openSessions() {
        try {
            return programs.penctl(control, "servers").lines()
                    .mapToInt(l -> Integer.parseInt(l.replaceFirst(".* conn (\\d+) .*", "$1"))).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
