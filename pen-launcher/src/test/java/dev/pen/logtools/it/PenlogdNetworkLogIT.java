package dev.pen.logtools.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.logtools.penlogd.Penlog;
import dev.pen.logtools.penlogd.Penlogd;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.ChildProcess;
import dev.pen.netty.testing.Nginx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pen's network log end to end: {@code pen -l loghost:port} sends its {@code + client server request} datagrams to
 * penlogd, each web server's log reaches penlogd through {@code penlog loghost port my_ip}, and penlogd writes the
 * web servers' lines with the real clients.
 */
class PenlogdNetworkLogIT {

    @TempDir
    Path dir;

    @Test
    void webServerLinesSentThroughPenlogNameTheClientThatPenReported() throws Exception {
        Merge merge = mergeByPenlogd("");

        assertThat(merge.written()).as(merge.penlogdOutput()).containsExactlyInAnyOrderElementsOf(merge.expected());
    }

    @Test
    void requestsLongerThanWhatPenSendsStillNameTheirClient() throws Exception {
        // pen's datagram carries at most 100 bytes of the request; penlogd compares the first 99 characters, where
        // these requests still differ.
        Merge merge = mergeByPenlogd("&pad=" + "x".repeat(150));

        assertThat(merge.expected()).allMatch(l -> l.length() > 200);
        assertThat(merge.written()).as(merge.penlogdOutput()).containsExactlyInAnyOrderElementsOf(merge.expected());
    }

    /** What penlogd wrote, what it should have written (the web lines with their real clients), what it said. */
    private record Merge(List<String> written, List<String> expected, String penlogdOutput) {
    }

    /**
     * Sends the farm's requests (targets ending with {@code padding}) through pen logging to penlogd, then the web
     * servers' logs through penlog.
     */
    private Merge mergeByPenlogd(String padding) throws Exception {
        int logPort = Processes.freeUdpPort();
        Path merged = dir.resolve("access_log");
        Path pidFile = dir.resolve("penlogd.pid");
        try (HttpFarm farm = HttpFarm.start(dir);
                ChildProcess penlogd = ChildProcess.start(dir, "penlogd", Map.of(), Processes.java(Penlogd.class,
                        "-f", "-b", "-l", merged.toString(), "-p", pidFile.toString(), "127.0.0.1:" + logPort))) {
            Await.until("penlogd to write its pid file", Processes.START,
                    () -> Files.exists(pidFile) || !penlogd.isAlive());
            assertThat(penlogd.isAlive()).as("penlogd running; %s", penlogd.output()).isTrue();

            // Pen is stopped before the web servers' lines are sent, so every pen entry has reached penlogd's
            // socket before the line it belongs to, as it does when a request passes pen before the server logs it.
            farm.trafficThroughPen(dir, "127.0.0.1:" + logPort, padding);
            for (Nginx host : List.of(farm.host1, farm.host2)) {
                // penlog loghost port my_ip < access_log: the datagrams come from the web server's own address.
                Processes.runToFile(dir, Processes.java(Penlog.class, "127.0.0.1", Integer.toString(logPort),
                        host.ip()), host.accessLog(), dir.resolve("penlog-" + host.ip() + ".out"));
            }

            List<String> expected = farm.linesWithRealClients();
            Await.until(expected.size() + " lines from penlogd", Duration.ofSeconds(10),
                    () -> Processes.lines(merged).size() >= expected.size());
            return new Merge(Processes.lines(merged), expected, penlogd.output());
        }
    }
}
