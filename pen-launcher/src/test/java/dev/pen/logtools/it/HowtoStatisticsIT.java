package dev.pen.logtools.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.logtools.mergelogs.Mergelogs;
import dev.pen.logtools.resolve.Dnsmasq;
import dev.pen.logtools.resolve.Splitwr;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HOWTO's statistics for an http farm, end to end: {@code pen -l pen.log} in front of two nginx writing
 * combined-format logs, then {@code mergelogs -p pen.log HOST1:access_log.host1 HOST2:access_log.host2 >
 * access_log} and {@code splitwr access_log > access_log.resolved}, the tools run as programs of their own with
 * {@code TZ=UTC}.
 */
class HowtoStatisticsIT {

    @TempDir
    static Path dir;
    private static HttpFarm farm;

    @BeforeAll
    static void trafficThroughPenWithALogFile() throws Exception {
        farm = HttpFarm.start(dir);
        farm.trafficThroughPen(dir, "pen.log");
        assertThat(Processes.lines(dir.resolve("pen.log"))).as("pen's log, one line per request").hasSize(6);
    }

    @AfterAll
    static void stopTheWebServers() {
        if (farm != null) {
            farm.close();
        }
    }

    /** {@code mergelogs -p pen.log HOST1:log1 HOST2:log2 > access_log}; returns access_log. */
    private static Path mergelogs() {
        Path merged = dir.resolve("access_log");
        Processes.runToFile(dir, Processes.java(Mergelogs.class, "-p", "pen.log",
                HttpFarm.HOST1 + ":" + farm.host1.accessLog(), HttpFarm.HOST2 + ":" + farm.host2.accessLog()),
                null, merged);
        return merged;
    }

    @Test
    void mergedLogNamesTheClientOfEveryRequestInsteadOfTheBalancer() {
        List<String> merged = Processes.lines(mergelogs());

        // nginx ran with TZ=UTC, so its times are already what mergelogs prints: each line is the web server's
        // with only the first field changed.
        assertThat(merged).containsExactlyInAnyOrderElementsOf(farm.linesWithRealClients());
        assertThat(merged).extracting(l -> l.substring(0, l.indexOf(' '))).containsOnlyElementsOf(HttpFarm.CLIENTS);
    }

    @Test
    void splitwrResolvesTheMergedLogsClientsAndLeavesAnAddressWithoutNameAsItIs() throws Exception {
        Path merged = mergelogs();
        // 127.0.0.5 has a name; 127.0.0.6 has none (the server answers that it does not exist).
        try (Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.5 client5.test"), List.of(), "77.10.in-addr.arpa")) {
            Path resolved = dir.resolve("access_log.resolved");
            Processes.runToFile(dir, Processes.java(Splitwr.class, "--dns", dns.dnsArgument(), merged.toString()),
                    null, resolved);

            List<String> expected = Processes.lines(merged).stream()
                    .map(l -> l.startsWith("127.0.0.5 ") ? "client5.test" + l.substring("127.0.0.5".length()) : l)
                    .collect(Collectors.toList());
            assertThat(Processes.lines(resolved)).containsExactlyElementsOf(expected);
            assertThat(expected).anyMatch(l -> l.startsWith("client5.test ")).anyMatch(l -> l.startsWith("127.0.0.6 "));
        }
    }
}
