package dev.pen.launcher.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.netty.testing.LeakCheck;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups against a real dnsmasq on loopback: addresses and SRV records with their time to live; and an answer
 * that comes after its caller gave up, from a server on loopback that holds it back.
 */
@ExtendWith(LeakCheck.class)
class DnsLookupTest {
    @TempDir
    Path dir;

    @Test
    void aNameGivesItsAddressesAndTheirTimeToLive() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.2 web.test", "127.0.0.3 web.test"), List.of());
                DnsLookup lookup = new DnsLookup(dns.address())) {
            DnsLookup.Addresses a = lookup.addresses("web.test");
            assertThat(a.addresses()).containsExactlyInAnyOrder(InetAddress.getByName("127.0.0.2"),
                    InetAddress.getByName("127.0.0.3"));
            assertThat(a.ttl()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void anIpLiteralIsItsOwnAddressWithoutAQuery() throws Exception {
        try (DnsLookup lookup = new DnsLookup(new java.net.InetSocketAddress("127.0.0.1", 9))) {
            assertThat(lookup.addresses("127.0.0.5").addresses()).containsExactly(InetAddress.getByName("127.0.0.5"));
            assertThat(lookup.addresses("127.0.0.5").ttl()).isEqualTo(DnsLookup.MAX_TTL);
        }
    }

    @Test
    void anUnknownNameIsAnUnknownHostNamingIt() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.2 web.test"), List.of());
                DnsLookup lookup = new DnsLookup(dns.address())) {
            assertThatThrownBy(() -> lookup.addresses("nosuch.test")).isInstanceOf(UnknownHostException.class)
                    .hasMessageStartingWith("nosuch.test: ");
        }
    }

    @Test
    void aServiceGivesItsSrvRecords() throws Exception {
        try (Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.2 a.test", "127.0.0.3 b.test"),
                List.of("_app._tcp.svc.test,a.test,8081,10,5", "_app._tcp.svc.test,b.test,8082,20,7"));
                DnsLookup lookup = new DnsLookup(dns.address())) {
            DnsLookup.Services s = lookup.services("_app._tcp.svc.test");
            assertThat(s.services()).containsExactlyInAnyOrder(new DnsLookup.Service("a.test", 8081, 10, 5),
                    new DnsLookup.Service("b.test", 8082, 20, 7));
            assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(1));
            assertThatThrownBy(() -> lookup.services("_none._tcp.svc.test")).isInstanceOf(UnknownHostException.class);
        }
    }

    @Test
    void anAnswerThatComesAfterItsCallerWasInterruptedIsReleased() throws Exception {
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (HeldDnsServer server = new HeldDnsServer(); DnsLookup lookup = new DnsLookup(server.address())) {
            Future<DnsLookup.Addresses> first = caller.submit(() -> lookup.addresses("first.test"));
            assertThat(server.awaitFirstQuestion()).as("the first question reached the server").isTrue();
            caller.shutdownNow();
            assertThatThrownBy(first::get).hasRootCauseInstanceOf(UnknownHostException.class)
                    .rootCause().hasMessage("first.test: interrupted");
            server.release();
            // The answers come in the order they were sent, so the held one is in when the next one is.
            assertThat(lookup.addresses("second.test").addresses())
                    .containsExactly(InetAddress.getByName("127.0.0.9"));
        } finally {
            caller.shutdownNow();
            assertThat(caller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(LeakCheck.collect()).as("buffer leaks").isEmpty();
    }
}
