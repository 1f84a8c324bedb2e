package dev.pen.launcher.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BackendState;
import dev.pen.api.BackendStats;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.LeakCheck;
import dev.pen.netty.testing.NamedBackend;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery against a real dnsmasq on loopback and a real balancer with in-process backends: names followed on
 * their TTL, SRV servers kept in their slots by address, removed ones drained, and what fails told once. The
 * figures (how long a change takes to be applied) are printed for docs/SCALEOUT.md.
 */
@ExtendWith(LeakCheck.class)
class DiscoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final Closer closer = new Closer();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        closer.close();
    }

    private Discovery discovery;

    private Balancer start(DiscoverySettings settings, BalancerConfig config) {
        Discovery d = Discovery.prepare(settings, config, problems::add, changes::add);
        discovery = d;
        Balancer b = closer.keep(Balancer.start(d.config()));
        closer.keep(d).follow(b);
        return b;
    }

    private static BalancerConfig.Builder listening() {
        return BalancerConfig.builder().listen(Address.of("127.0.0.1", 0));
    }

    private static int port(Balancer b) {
        return ((InetSocketAddress) b.localAddress()).getPort();
    }

    private static String at(Balancer b, int index) {
        return b.backend(index).map(s -> ((InetSocketAddress) s.resolvedAddress()).getAddress().getHostAddress()
                + ":" + ((InetSocketAddress) s.resolvedAddress()).getPort()).orElse(null);
    }

    /** Slot index by "ip:port" of every occupied slot. */
    private static Map<String, Integer> slots(Balancer b) {
        return b.backends().stream().collect(Collectors.toMap(s -> s.backend().address().toString(),
                BackendStats::index));
    }

    @Test
    void dnsRefreshMovesTheSlotToTheNewAddressAndOpenConnectionsCarryOn() throws Exception {
        NamedBackend two = closer.keep(new NamedBackend("two", "127.0.0.2", 0));
        NamedBackend three = closer.keep(new NamedBackend("three", "127.0.0.3", two.port()));
        Dnsmasq dns = closer.keep(Dnsmasq.start(dir, List.of("127.0.0.2 web.test"), List.of()));
        Balancer b = start(new DiscoverySettings(true, List.of(), dns.address(), null),
                listening().backend(Backend.of("web.test", two.port())).build());
        assertThat(at(b, 0)).isEqualTo("127.0.0.2:" + two.port());
        assertThat(Clients.greeting("127.0.0.1", port(b))).isEqualTo("two");
        Socket open = closer.keep(Clients.connect("127.0.0.1", port(b)));
        assertThat(Clients.readLine(open)).isEqualTo("two");

        long changed = System.nanoTime();
        dns.hosts(List.of("127.0.0.3 web.test"));
        Await.until("slot 0 at 127.0.0.3", WAIT, () -> ("127.0.0.3:" + three.port()).equals(at(b, 0)));
        long ms = (System.nanoTime() - changed) / 1_000_000;
        System.out.println("FIGURE dns-refresh: A record change applied in " + ms + " ms");

        assertThat(Clients.greeting("127.0.0.1", port(b))).isEqualTo("three");
        OutputStream o = open.getOutputStream();
        o.write("still\n".getBytes(StandardCharsets.US_ASCII));
        o.flush();
        assertThat(Clients.readLine(open)).as("the open connection to the old address").isEqualTo("still");
        Await.until("the move told", WAIT, () -> changes.stream()
                .anyMatch(l -> l.equals("discovery: server 0 (web.test) moved from 127.0.0.2:" + two.port()
                        + " to 127.0.0.3:" + three.port())));
        assertThat(problems).isEmpty();
    }

    @Test
    void aNameThatStopsResolvingKeepsItsAddressAndIsToldOnceThenOnceAgainWhenBack() throws Exception {
        NamedBackend two = closer.keep(new NamedBackend("two", "127.0.0.2", 0));
        Dnsmasq dns = closer.keep(Dnsmasq.start(dir, List.of("127.0.0.2 web.test"), List.of()));
        DiscoverySettings settings = new DiscoverySettings(true, List.of(), dns.address(), null);
        Discovery d = closer.keep(Discovery.prepare(settings,
                listening().backend(Backend.of("web.test", two.port())).build(), problems::add, changes::add));
        Balancer b = closer.keep(Balancer.start(d.config()));
        d.follow(b);

        dns.hosts(List.of());
        Await.until("the problem told", WAIT, () -> !problems.isEmpty());
        long asked = d.lookups();
        Await.until("two more lookups", WAIT, () -> d.lookups() >= asked + 2);
        assertThat(problems).containsExactly("discovery: can't resolve web.test: no such name; keeping its last "
                + "address 127.0.0.2");
        assertThat(at(b, 0)).isEqualTo("127.0.0.2:" + two.port());
        assertThat(Clients.greeting("127.0.0.1", port(b))).isEqualTo("two");

        dns.hosts(List.of("127.0.0.2 web.test"));
        Await.until("the end of the problem told", WAIT, () -> problems.size() == 2);
        assertThat(problems.get(1)).isEqualTo("discovery: web.test resolves again, to 127.0.0.2");
    }

    @Test
    void srvServersKeepTheirSlotsByAddressAndARemovedOneDrainsBeforeItsSlotIsEmptied() throws Exception {
        NamedBackend a = closer.keep(new NamedBackend("a", "127.0.0.2", 0));
        NamedBackend c = closer.keep(new NamedBackend("c", "127.0.0.3", 0));
        NamedBackend e = closer.keep(new NamedBackend("e", "127.0.0.4", 0));
        NamedBackend f = closer.keep(new NamedBackend("f", "127.0.0.5", 0));
        Dnsmasq dns = closer.keep(Dnsmasq.start(dir,
                List.of("127.0.0.2 a.test", "127.0.0.3 c.test", "127.0.0.4 e.test", "127.0.0.5 f.test"),
                List.of(srv("a.test", a, 1, 10), srv("c.test", c, 2, 20))));
        Balancer b = start(new DiscoverySettings(false, List.of("_app._tcp.svc.test"), dns.address(), null),
                listening().build());
        Map<String, Integer> first = slots(b);
        assertThat(first).containsOnlyKeys("127.0.0.2:" + a.port(), "127.0.0.3:" + c.port());
        Backend slotOfC = b.backend(first.get("127.0.0.3:" + c.port())).orElseThrow().backend();
        assertThat(slotOfC.weight()).hasValue(20);
        assertThat(slotOfC.priority()).isEqualTo(2);

        // A client holds a connection to c; c leaves the answer, e joins, and the answer is in another order.
        Socket held = null;
        for (int i = 0; i < 4 && held == null; i++) {
            Socket s = closer.keep(Clients.connect("127.0.0." + (20 + i), port(b)));
            if ("c".equals(Clients.readLine(s))) {
                held = s;
            }
        }
        assertThat(held).as("a connection to c").isNotNull();
        int slotC = first.get("127.0.0.3:" + c.port());
        int slotA = first.get("127.0.0.2:" + a.port());
        long changed = System.nanoTime();
        dns.services(List.of(srv("e.test", e, 1, 5), srv("a.test", a, 1, 10)));
        Await.until("e in a slot", WAIT, () -> slots(b).containsKey("127.0.0.4:" + e.port()));
        System.out.println("FIGURE srv: new SRV target in a slot " + (System.nanoTime() - changed) / 1_000_000
                + " ms after the change");
        Await.until("c draining", WAIT, () -> b.backend(slotC).map(s -> s.state() == BackendState.DRAINING)
                .orElse(false));
        assertThat(slots(b)).containsEntry("127.0.0.2:" + a.port(), slotA)
                .containsEntry("127.0.0.3:" + c.port(), slotC).containsEntry("127.0.0.4:" + e.port(), 2);
        assertThat(b.backend(slotC).orElseThrow().activeConnections()).isEqualTo(1);
        for (int i = 0; i < 4; i++) {
            assertThat(Clients.greeting("127.0.0." + (10 + i), port(b))).isNotEqualTo("c");
        }

        held.close();
        long closedAt = System.nanoTime();
        Await.until("c's slot emptied", WAIT, () -> b.backend(slotC).isEmpty());
        System.out.println("FIGURE srv: drained slot emptied " + (System.nanoTime() - closedAt) / 1_000_000
                + " ms after its last connection closed");

        // Reordered again, and a newcomer: it takes the slot c left, the others stay where they are.
        dns.services(List.of(srv("f.test", f, 1, 1), srv("a.test", a, 1, 10), srv("e.test", e, 1, 5)));
        Await.until("f in c's old slot", WAIT, () -> Optional.ofNullable(slots(b).get("127.0.0.5:" + f.port()))
                .map(i -> i == slotC).orElse(false));
        assertThat(slots(b)).containsEntry("127.0.0.2:" + a.port(), slotA)
                .containsEntry("127.0.0.4:" + e.port(), 2);
        assertThat(problems).isEmpty();
    }

    @Test
    void aServersFileIsFollowedAndOneWithABadLineIsRefusedWholeKeepingTheLastGoodServers() throws Exception {
        NamedBackend a = closer.keep(new NamedBackend("a", "127.0.0.2", 0));
        NamedBackend c = closer.keep(new NamedBackend("c", "127.0.0.3", 0));
        NamedBackend e = closer.keep(new NamedBackend("e", "127.0.0.4", 0));
        Path file = dir.resolve("servers");
        java.nio.file.Files.writeString(file, "# the farm\n127.0.0.2:" + a.port() + "\n\n127.0.0.3:" + c.port()
                + ":0:0:5   # c\n");
        Balancer b = start(new DiscoverySettings(false, List.of(), null, file), listening().build());
        assertThat(slots(b)).containsOnly(Map.entry("127.0.0.2:" + a.port(), 0), Map.entry("127.0.0.3:" + c.port(), 1));
        assertThat(b.backend(1).orElseThrow().backend().weight()).hasValue(5);

        java.nio.file.Files.writeString(file, "127.0.0.2:" + a.port() + "\n127.0.0.3:x\n");
        Await.until("the bad line told", WAIT, () -> !problems.isEmpty());
        long ticked = discovery.ticks();
        Await.until("two more passes", WAIT, () -> discovery.ticks() >= ticked + 2);
        assertThat(problems).containsExactly("discovery: servers file " + file + " line 2: unknown port or service 'x' "
                + "(expected a number 1..65535 or a name from /etc/services); the last good servers stay");
        assertThat(slots(b)).containsOnlyKeys("127.0.0.2:" + a.port(), "127.0.0.3:" + c.port());
        assertThat(b.backends()).allMatch(s -> s.state() == BackendState.UP);

        long changed = System.nanoTime();
        java.nio.file.Files.writeString(file, "127.0.0.4:" + e.port() + "\n127.0.0.3:" + c.port() + ":0:0:5\n");
        Await.until("a gone and e in", WAIT, () -> slots(b).keySet().equals(java.util.Set.of(
                "127.0.0.3:" + c.port(), "127.0.0.4:" + e.port())));
        System.out.println("FIGURE servers-file: change applied in " + (System.nanoTime() - changed) / 1_000_000
                + " ms");
        assertThat(slots(b)).containsEntry("127.0.0.3:" + c.port(), 1).containsEntry("127.0.0.4:" + e.port(), 2);
        Await.until("the good file told", WAIT, () -> problems.size() == 2);
        assertThat(problems.get(1)).isEqualTo("discovery: servers file " + file + " read: 2 servers");
        assertThat(Clients.greeting("127.0.0.30", port(b))).isIn("c", "e");
    }

    @Test
    void aNameWithSeveralAddressesKeepsItsSlotsAddressWhateverTheOrderOfTheAnswer() throws Exception {
        NamedBackend two = closer.keep(new NamedBackend("two", "127.0.0.2", 0));
        closer.keep(new NamedBackend("three", "127.0.0.3", two.port()));
        Dnsmasq dns = closer.keep(Dnsmasq.start(dir, List.of("127.0.0.2 web.test", "127.0.0.3 web.test"),
                List.of()));
        DiscoverySettings settings = new DiscoverySettings(true, List.of(), dns.address(), null);
        Discovery d = closer.keep(Discovery.prepare(settings,
                listening().backend(Backend.of("web.test", two.port())).build(), problems::add, changes::add));
        Balancer b = closer.keep(Balancer.start(d.config()));
        d.follow(b);
        String first = at(b, 0);
        // The same two addresses, listed the other way round: the slot stays where it is.
        dns.hosts(List.of("127.0.0.3 web.test", "127.0.0.2 web.test"));
        long asked = d.lookups();
        Await.until("three more lookups", WAIT, () -> d.lookups() >= asked + 3);
        assertThat(at(b, 0)).isEqualTo(first);
        assertThat(changes).noneMatch(l -> l.contains("moved"));
    }

    private static String srv(String target, NamedBackend backend, int priority, int weight) {
        return "_app._tcp.svc.test," + target + "," + backend.port() + "," + priority + "," + weight;
    }
}
