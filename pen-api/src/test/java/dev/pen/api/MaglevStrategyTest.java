package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Maglev's table over fixed candidates: the same answers whatever the servers' order, few clients moved by a change,
 * an unavailable server's clients only moved while it is away, and weights honoured. The figures printed (lines
 * starting {@code maglev:}) are those in docs/SCALEOUT.md.
 */
class MaglevStrategyTest {
    private static final int CLIENTS = 100_000;
    private static final InetAddress[] CLIENT_ADDRESSES = clients();

    /** A candidate whose availability a test sets. */
    private static final class Server implements Candidate {
        private final int index;
        private final Backend backend;
        boolean available = true;

        Server(int index, Backend backend) {
            this.index = index;
            this.backend = backend;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public int activeConnections() {
            return 0;
        }

        @Override
        public boolean available() {
            return available;
        }
    }

    /** 100,000 client addresses from a seeded generator: the same in every run. */
    private static InetAddress[] clients() {
        SplittableRandom random = new SplittableRandom(2016);
        InetAddress[] a = new InetAddress[CLIENTS];
        byte[] b = new byte[4];
        for (int i = 0; i < a.length; i++) {
            random.nextBytes(b);
            try {
                a[i] = InetAddress.getByAddress(b.clone());
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return a;
    }

    private static String spec(int i) {
        return "10." + (i / 250) + "." + (i % 250) + ".1:8080";
    }

    /** Servers for {@code specs}, in slot order. */
    private static List<Candidate> servers(List<String> specs) {
        List<Candidate> c = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            c.add(new Server(i, Backend.parse(specs.get(i), 80)));
        }
        return Collections.unmodifiableList(c);
    }

    private static List<String> specs(int n) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(spec(i));
        }
        return s;
    }

    private static PickContext context(InetAddress client, List<Candidate> servers) {
        return new PickContext(client, 40000, servers, servers.size(), List.of(), Modes.DEFAULT, 0);
    }

    /** Each client's server, by address text, as {@code picker} chooses over {@code servers}. */
    private static String[] assign(Picker picker, List<Candidate> servers) {
        String[] out = new String[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            Pick p = picker.pick(context(CLIENT_ADDRESSES[i], servers));
            out[i] = p.chosen() ? servers.get(p.index()).backend().address().toString() : null;
        }
        return out;
    }

    private static String[] assign(List<String> specs) {
        return assign(Strategy.maglev().newPicker(), servers(specs));
    }

    private static double movedFraction(String[] before, String[] after) {
        int moved = 0;
        for (int i = 0; i < CLIENTS; i++) {
            if (!before[i].equals(after[i])) {
                moved++;
            }
        }
        return (double) moved / CLIENTS;
    }

    private static Map<String, Integer> shares(String[] assigned) {
        Map<String, Integer> count = new HashMap<>();
        for (String s : assigned) {
            count.merge(s, 1, Integer::sum);
        }
        return count;
    }

    @Test
    void tablesBuiltWithTheServersInDifferentOrdersAgreeOnEveryClient() {
        List<String> given = new ArrayList<>(specs(37));
        given.set(5, "backend-five.example:80:0:0:3");
        given.set(9, "[2001:db8::9]:443:0:0:2");
        String[] first = assign(given);
        List<String> reversed = new ArrayList<>(given);
        Collections.reverse(reversed);
        List<String> shuffled = new ArrayList<>(given);
        Collections.shuffle(shuffled, new java.util.Random(7));
        String[] second = assign(reversed);
        String[] third = assign(shuffled);
        int agree = 0;
        for (int i = 0; i < CLIENTS; i++) {
            if (first[i].equals(second[i]) && first[i].equals(third[i])) {
                agree++;
            }
        }
        System.out.printf("maglev: 3 tables, 37 servers in 3 orders: %d of %d clients agree (%.3f %%)%n", agree,
                CLIENTS, 100.0 * agree / CLIENTS);
        assertThat(agree).isEqualTo(CLIENTS);
    }

    @Test
    void removingOrAddingOneServerMovesLittleMoreThanItsShare() {
        double worstRemove = 0;
        double worstAdd = 0;
        StringBuilder table = new StringBuilder();
        for (int n = 2; n <= 100; n++) {
            List<String> all = specs(n + 1);
            String[] withN = assign(all.subList(0, n));
            List<String> less = new ArrayList<>(all.subList(0, n));
            less.remove(n / 2);
            double removed = movedFraction(withN, assign(less));
            double added = movedFraction(withN, assign(all));
            worstRemove = Math.max(worstRemove, removed - 1.0 / n);
            worstAdd = Math.max(worstAdd, added - 1.0 / (n + 1));
            if (n <= 5 || n % 10 == 0) {
                table.append(String.format("maglev: n=%3d  remove one: %.4f (1/n %.4f)  add one: %.4f (1/(n+1) %.4f)%n",
                        n, removed, 1.0 / n, added, 1.0 / (n + 1)));
            }
            assertThat(removed).as("removing one of %d", n).isLessThanOrEqualTo(1.0 / n + 0.01);
            assertThat(added).as("adding one to %d", n).isLessThanOrEqualTo(1.0 / (n + 1) + 0.01);
        }
        System.out.print(table);
        System.out.printf("maglev: n=2..100, most moved beyond the ideal: remove %+.4f, add %+.4f%n", worstRemove,
                worstAdd);
    }

    @Test
    void anUnavailableServerMovesOnlyItsOwnClientsAndTheyComeBack() {
        List<Candidate> servers = servers(specs(10));
        Picker picker = Strategy.maglev().newPicker();
        String[] before = assign(picker, servers);
        Server away = (Server) servers.get(3);
        String awayName = away.backend().address().toString();
        away.available = false;
        String[] during = assign(picker, servers);
        int own = 0;
        for (int i = 0; i < CLIENTS; i++) {
            if (before[i].equals(awayName)) {
                own++;
                assertThat(during[i]).isNotEqualTo(awayName);
            } else {
                assertThat(during[i]).as("client %s", CLIENT_ADDRESSES[i]).isEqualTo(before[i]);
            }
        }
        Map<String, Integer> spread = shares(during);
        System.out.printf("maglev: 10 servers, one unavailable: %.4f of clients moved (its own), spread over %d"
                + " servers%n", movedFraction(before, during), spread.size());
        assertThat(movedFraction(before, during)).isEqualTo((double) own / CLIENTS);
        assertThat(spread).hasSize(9);
        away.available = true;
        assertThat(assign(picker, servers)).isEqualTo(before);
    }

    @Test
    void failoverFollowsTheClientsOwnSequenceSkippingServersTried() throws Exception {
        List<Candidate> servers = servers(specs(5));
        Picker picker = Strategy.maglev().newPicker();
        PickContext ctx = context(InetAddress.getByName("192.0.2.44"), servers);
        int first = picker.pick(ctx).index();
        List<Integer> order = new ArrayList<>(List.of(first));
        PickContext c = ctx.withTried(first);
        int next;
        while ((next = picker.next(c)) != Strategy.NO_BACKEND) {
            order.add(next);
            c = c.withTried(next);
        }
        assertThat(order).doesNotHaveDuplicates().hasSize(5);
        // The second choice is where the first one's clients go while it is unavailable.
        ((Server) servers.get(first)).available = false;
        assertThat(picker.pick(ctx).index()).isEqualTo(order.get(1));
        for (Candidate s : servers) {
            ((Server) s).available = false;
        }
        assertThat(picker.pick(ctx).chosen()).isFalse();
        assertThat(picker.next(ctx.withTried(first))).isEqualTo(Strategy.NO_BACKEND);
    }

    @Test
    void equalWeightsGiveEqualShares() {
        for (int n : new int[] {3, 10}) {
            Map<String, Integer> count = shares(assign(specs(n)));
            double mean = (double) CLIENTS / n;
            int most = Collections.max(count.values());
            int least = Collections.min(count.values());
            System.out.printf("maglev: %d servers of equal weight: largest share %.4f, smallest %.4f, mean %.4f"
                    + " (largest %+.2f %% of the mean)%n", n, most / (double) CLIENTS, least / (double) CLIENTS,
                    1.0 / n, 100 * (most - mean) / mean);
            assertThat(count).hasSize(n);
            assertThat(most).isLessThanOrEqualTo((int) (mean * 1.05));
        }
    }

    @Test
    void weightsOneTwoThreeGiveASixthATwoSixthsAndAHalf() {
        List<String> specs = List.of("10.0.0.1:80:0:0:1", "10.0.0.2:80:0:0:2", "10.0.0.3:80:0:0:3",
                "10.0.0.4:80:0:0:0");
        Map<String, Integer> count = shares(assign(specs));
        double[] expected = {1 / 6.0, 2 / 6.0, 3 / 6.0};
        for (int i = 0; i < 3; i++) {
            double share = count.get("10.0.0." + (i + 1) + ":80") / (double) CLIENTS;
            System.out.printf("maglev: weight %d: share %.4f (expected %.4f)%n", i + 1, share, expected[i]);
            assertThat(share).isBetween(expected[i] - 0.01, expected[i] + 0.01);
        }
        assertThat(count).as("weight 0 takes no client").doesNotContainKey("10.0.0.4:80");
    }

    @Test
    void noWeightGivenCountsAsOne() {
        assertThat(assign(List.of("10.0.0.1:80", "10.0.0.2:80:0:0:2")))
                .isEqualTo(assign(List.of("10.0.0.1:80:0:0:1", "10.0.0.2:80:0:0:2")));
    }

    @Test
    void theTableIsTheSameInEveryProcess() {
        // A pinned checksum of one table: a change here would make balancers of two versions disagree.
        assertThat(MaglevTable.fnv1a("a".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xAF63DC4C8601EC8CL);
        MaglevTable t = MaglevTable.build(servers(specs(7)), MaglevStrategy.MIN_TABLE_SIZE, null);
        long sum = 0;
        for (int e : t.entries) {
            sum = sum * 31 + e;
        }
        assertThat(sum).isEqualTo(PINNED_CHECKSUM);
    }

    private static final long PINNED_CHECKSUM = 8145975817038429282L;

    @Test
    void aServerIsPlacedByItsAddressWrittenAnyWay() {
        assertThat(MaglevTable.key(Address.of("::1", 80))).isEqualTo(MaglevTable.key(Address.of("0:0::1", 80)));
        assertThat(MaglevTable.key(Address.of("Web.Example", 80))).isEqualTo("web.example:80");
        assertThat(MaglevTable.key(Address.of("0.0.0.0", 80))).as("the wildcard takes no client").isNull();
        assertThat(MaglevTable.key(Address.unix("/run/a.sock"))).isEqualTo("/run/a.sock");
    }

    @Test
    void anIpv4MappedClientIsTheIpv4Client() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 192;
        mapped[13] = 0;
        mapped[14] = 2;
        mapped[15] = 7;
        java.net.Inet6Address v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(MaglevTable.clientHash(v6)).isEqualTo(MaglevTable.clientHash(InetAddress.getByName("192.0.2.7")));
    }

    @Test
    void theTableIsBuiltOnPrepareAndKeptWhenOnlyOtherSettingsChange() {
        List<Candidate> servers = servers(specs(4));
        MaglevPicker picker = (MaglevPicker) Strategy.maglev().newPicker();
        picker.prepare(servers);
        MaglevTable prepared = picker.table();
        picker.pick(context(CLIENT_ADDRESSES[0], servers));
        assertThat(picker.table()).as("no build on pick").isSameAs(prepared);
        List<Candidate> more = servers(specs(5));
        picker.prepare(more);
        assertThat(picker.table().entries).isNotSameAs(prepared.entries);
        picker.pick(context(CLIENT_ADDRESSES[0], servers));
        assertThat(picker.table().from).as("a pick on the list being replaced builds nothing").isSameAs(more);
        picker.prepare(servers);
        int[] entries = picker.table().entries;
        assertThat(entries).isEqualTo(prepared.entries);
        List<String> limited = new ArrayList<>(specs(4));
        limited.set(2, spec(2) + ":100");
        picker.prepare(servers(limited));
        assertThat(picker.table().entries).as("a limit changes no entry").isSameAs(entries);
        limited.set(2, spec(2) + ":100:0:5");
        picker.prepare(servers(limited));
        assertThat(picker.table().entries).as("a weight does").isNotSameAs(entries);
    }

    @Test
    void tableSizeMustBeABoundedPrime() {
        assertThat(new MaglevStrategy(251).tableSize()).isEqualTo(251);
        assertThat(Strategy.maglev(1_000_003)).isEqualTo(new MaglevStrategy(1_000_003));
        assertThat(Strategy.maglev()).isEqualTo(Strategy.maglev(65_537));
        for (int bad : new int[] {65_536, 241, 1_000_033, 0, -7, 257 * 263}) {
            assertThatThrownBy(() -> Strategy.maglev(bad)).as("%d", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected Maglev table size: " + bad + " (expected a prime from 251 to 1000003)");
        }
        assertThat(Strategy.maglev().tracksClients()).isFalse();
        assertThat(Strategy.penModes().tracksClients()).isTrue();
    }

    @Test
    void noServerWithAWeightMeansNone() throws Exception {
        List<Candidate> servers = servers(List.of("10.0.0.1:80:0:0:0"));
        Picker picker = Strategy.maglev().newPicker();
        assertThat(picker.pick(context(InetAddress.getByName("192.0.2.1"), servers)).chosen()).isFalse();
        assertThat(picker.pick(context(InetAddress.getByName("192.0.2.1"), List.of())).chosen()).isFalse();
    }
}
