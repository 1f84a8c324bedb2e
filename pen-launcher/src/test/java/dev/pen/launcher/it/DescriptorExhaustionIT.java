package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.Transports;
import dev.pen.netty.testing.UdpEchoBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bin/pen under {@code prlimit --nofile=256}: clients take every descriptor the balancer may have, then leave.
 * Afterwards the listener and the control port serve again, no server was blamed (blacklisted) for what was this
 * machine's shortage, and the balancer holds as many descriptors as before. While at the limit, it spins no CPU.
 */
class DescriptorExhaustionIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String USER = System.getProperty("user.name");
    private static final int NOFILE = 256;
    /** How long the CPU time is measured while the balancer has no descriptor left. */
    private static final Duration AT_LIMIT = Duration.ofMillis(2000);
    /** How long the balancer is left at the limit, the clients for its listener waiting, before the window starts. */
    private static final Duration SETTLE = Duration.ofMillis(300);
    /** The flood is over when the balancer uses less than this share of one core over {@link #QUIET_SPAN}. */
    private static final double QUIET = 0.1;
    private static final Duration QUIET_SPAN = Duration.ofMillis(300);
    /** Share of one core the balancer may use meanwhile; a loop retrying a failed accept would take all of it. */
    private static final double MAX_CPU_AT_LIMIT = 0.25;
    /**
     * More silent control clients than the balancer can have descriptors free once the flood is over: what its
     * clients do not hold, at most about one batch of accepts (-m, 100) refused for want of a server socket.
     */
    private static final int MAX_SILENT = 150;
    /** UDP sessions end after this long without a datagram; long enough to outlast the measuring window. */
    private static final int UDP_IDLE_SECONDS = 8;

    @TempDir
    Path dir;
    private Programs programs;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private long pid;
    private int controlPort;
    /** pen's TCP listener, or 0 in UDP mode. */
    private int listenerPort;
    /** The descriptors the balancer held once the clients had left, as awaited. */
    private int afterwards;

    @BeforeEach
    void prlimitIsThere() {
        Programs.require("prlimit");
        Programs.require("ss");
        programs = new Programs(dir);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
        programs.close();
    }

    /** The transports of this machine, by the names {@code -Dpen.transport} takes. */
    static List<String> transports() {
        return Transports.available().stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList();
    }

    @ParameterizedTest
    @MethodSource("transports")
    void tcpListenerAndControlPortServeAgainAfterClientsTookEveryDescriptor(String transport) throws Exception {
        NamedBackends backends = new NamedBackends(2);
        resources.add(backends);
        int port = Programs.freePort();
        listenerPort = port;
        startPen(transport, "127.0.0.1:" + port, "127.0.0.1:" + backends.port(0), "127.0.0.1:" + backends.port(1));
        Programs.await("pen's listener", WAIT, () -> Programs.listening(port));
        assertThat(NamedBackends.which(port)).startsWith("backend");
        int before = settledDescriptors();

        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < NOFILE + 50; i++) {
            clients.add(connect(port));
        }
        long cpu = cpuAtTheLimit(() -> {
            List<Socket> more = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                more.add(connect(port));
            }
            return more;
        });

        long released = System.nanoTime();
        closeAll(clients);
        Programs.await("a client served through pen again", WAIT, () -> served(port));
        Programs.await("the control port answering again", WAIT, () -> control("servers").contains("port "));
        long recoveredMillis = (System.nanoTime() - released) / 1_000_000;
        awaitDescriptors(before);
        assertThat(serverStatuses()).as("status of each server on the -w page (0: never blacklisted); pen said:%n%s",
                programs.errors("pen")).containsOnly("0").hasSize(2);
        assertThat(programs.errors("pen")).as("pen's diagnostics").doesNotContain("blacklisting")
                .doesNotContain("reached at the tail of the pipeline");
        assertThat(programs.errors("pen")).as("pen's diagnostics").contains("control port: can't accept now")
                .contains("can't accept (");
        System.out.printf("tcp on %s: %d descriptors before, %d at the limit, %d after; served again %d ms after the "
                + "clients left; %.3f s CPU in %d ms at the limit%n", transport, before, NOFILE, afterwards,
                recoveredMillis, cpu / 1e9, AT_LIMIT.toMillis());
    }

    @Test
    void udpListenerAndControlPortServeAgainAfterSessionsTookEveryDescriptor() throws Exception {
        UdpEchoBackend one = new UdpEchoBackend("one");
        resources.add(one);
        UdpEchoBackend two = new UdpEchoBackend("two");
        resources.add(two);
        int port = Programs.freePort();
        startPen("auto", "-U", "-o", "idle_timeout " + UDP_IDLE_SECONDS, "127.0.0.1:" + port, one.spec(), two.spec());
        Programs.await("pen's UDP listener answering", WAIT, () -> answered(port));
        int before = settledDescriptors();

        List<DatagramSocket> clients = new ArrayList<>();
        for (int i = 0; i < NOFILE + 50; i++) {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            clients.add(s);
            s.send(new DatagramPacket(new byte[] {'q'}, 1, InetAddress.getLoopbackAddress(), port));
        }
        long cpu = cpuAtTheLimit(List::of);

        long released = System.nanoTime();
        closeAll(clients);
        Programs.await("a client answered through pen again", WAIT, () -> answered(port));
        Programs.await("the control port answering again", WAIT, () -> control("servers").contains("port "));
        long recoveredMillis = (System.nanoTime() - released) / 1_000_000;
        awaitDescriptors(before);
        assertThat(serverStatuses()).as("status of each server on the -w page (0: never blacklisted); pen said:%n%s",
                programs.errors("pen")).containsOnly("0").hasSize(2);
        assertThat(programs.errors("pen")).as("pen's diagnostics").doesNotContain("blacklisting")
                .doesNotContain("reached at the tail of the pipeline");
        System.out.printf("udp: %d descriptors before, %d at the limit, %d after; served again %d ms after the "
                + "clients left (sessions idle %d s); %.3f s CPU in %d ms at the limit%n", before, NOFILE, afterwards,
                recoveredMillis, UDP_IDLE_SECONDS, cpu / 1e9, AT_LIMIT.toMillis());
    }

    /**
     * Health checks every 100 ms, two failures taking a server down: checks this machine cannot make for want of a
     * descriptor count against no server, and the checks go on, so that afterwards a server that stops answering
     * is taken down by them.
     */
    @Test
    void healthChecksCountNothingWhileNoDescriptorIsFree() throws Exception {
        NamedBackends backends = new NamedBackends(2);
        resources.add(backends);
        int port = Programs.freePort();
        listenerPort = port;
        startPen("auto", "-d", "-d", "--check", "tcp", "--inter", "100ms", "--fall", "2", "127.0.0.1:" + port,
                "127.0.0.1:" + backends.port(0), "127.0.0.1:" + backends.port(1));
        Programs.await("pen's listener", WAIT, () -> Programs.listening(port));
        List<Socket> held = new ArrayList<>();
        try {
            // A check's own connection takes a descriptor for a moment, so the count may fall back by one: more
            // control clients are added until the limit is seen (the control port drops a silent one after 5 s).
            long until = System.nanoTime() + WAIT.toNanos();
            while (!atTheLimit()) {
                assertThat(System.nanoTime() - until).as("the limit reached within %s", WAIT).isNegative();
                int free = Math.max(1, NOFILE - descriptors() - waiting(controlPort));
                for (int i = 0; i < free; i++) {
                    held.add(connect(controlPort));
                }
            }
            programs.awaitErrors("pen", "check not made here", WAIT);
        } finally {
            closeAll(held);
        }
        Programs.await("a client served through pen again", WAIT, () -> served(port));
        assertThat(programs.errors("pen")).as("pen's diagnostics").doesNotContainPattern("server [0-9]+ down")
                .doesNotContain("An exception was thrown");
        backends.stop(1);
        programs.awaitErrors("pen", "server 1 down: check failed", WAIT);
    }

    @Test
    void statusPageShowsTheDescriptorsOfAnOpenConnection() throws Exception {
        NamedBackends backends = new NamedBackends(1);
        resources.add(backends);
        int port = Programs.freePort();
        startPen("auto", "127.0.0.1:" + port, "127.0.0.1:" + backends.port(0));
        Programs.await("pen's listener", WAIT, () -> Programs.listening(port));
        try (Socket client = connect(port)) {
            assertThat(readLine(client.getInputStream())).as("greeting; pen said: %s", programs.errors("pen"))
                    .isEqualTo("backend1");
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString()).as("pen's program")
                    .endsWith("java");
            String page = control("status");
            Matcher row = Pattern.compile("<tr>\\n<td>(\\d+)</td>\\n<td>(-?\\d+)</td>\\n<td>(-?\\d+)</td>\\n")
                    .matcher(page.substring(page.indexOf("Active connections")));
            // downfd is the socket pen accepted from this client: the one whose peer is the client's port. Other rows
            // may be there too: the probe that found the listener open, closing.
            String accepted = "socket:[" + inodeOfPeer(port, client.getLocalPort()) + "]";
            long id = -1;
            int down = -1;
            int up = -1;
            while (id < 0 && row.find()) {
                if (accepted.equals(link(Integer.parseInt(row.group(2))))) {
                    id = Long.parseLong(row.group(1));
                    down = Integer.parseInt(row.group(2));
                    up = Integer.parseInt(row.group(3));
                }
            }
            assertThat(id).as("the row of this client's connection, its downfd being %s, in %s", accepted, page)
                    .isNotNegative();
            assertThat(link(up)).startsWith("socket:[").isNotEqualTo(accepted);
            assertThat(control("connection " + id)).contains("downfd = " + down + ", upfd = " + up);
        }
    }

    // ---- the balancer ---------------------------------------------------------------------------------------------

    /** Starts bin/pen on {@code transport} (a name for {@code -Dpen.transport}) with {@code args}. */
    private void startPen(String transport, String... args) throws Exception {
        controlPort = Programs.freePort();
        List<String> cmd = new ArrayList<>(List.of("env", "PEN_JAVA_OPTS=-Dpen.transport=" + transport, "prlimit",
                "--nofile=" + NOFILE, Programs.bin("pen"), "-f", "-u", USER, "-C", "127.0.0.1:" + controlPort, "-w", dir.resolve("status.html").toString()));
        cmd.addAll(List.of(args));
        Process pen = programs.start("pen", cmd.toArray(String[]::new));
        pid = pen.pid(); // env, prlimit and bin/pen replace themselves with the JVM
        Programs.await("pen's control port", WAIT, () -> Programs.listening(controlPort));
        assertThat(Files.readString(Path.of("/proc/" + pid + "/limits"))).containsPattern(
                "Max open files\\s+" + NOFILE + "\\s+" + NOFILE);
    }

    /** The balancer's open descriptors once nothing is open through it: the same figure twice in a row. */
    private int settledDescriptors() {
        control("status");
        int[] last = {-1};
        Programs.await("pen's descriptor count settling", WAIT, () -> {
            int n = descriptors();
            boolean same = n == last[0] && control("status").contains(" 0 used");
            last[0] = n;
            return same;
        });
        return last[0];
    }

    private int descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the balancer holds {@code before} descriptors again; on timeout, shows which kinds differ. */
    private void awaitDescriptors(int before) {
        try {
            Programs.await("pen's descriptors back to " + before, WAIT, () -> descriptors() == before);
            afterwards = before;
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; now " + descriptors() + ": " + descriptorKinds(), e);
        }
    }

    /** What the balancer's descriptors are, counted by kind (sockets, pipes, files...), its class path left out. */
    private Map<String, Long> descriptorKinds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.<String>map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().replaceAll("\\[\\d+\\]", "");
                } catch (IOException gone) {
                    return "(closed)";
                }
            }).filter(kind -> !kind.endsWith(".jar"))
                    .collect(Collectors.groupingBy(k -> k, TreeMap::new, Collectors.counting()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * CPU time (ns) the balancer uses during {@link #AT_LIMIT} with every descriptor taken and clients waiting to be
     * accepted. Once the balancer is done with the flood, control clients that send nothing take what descriptors
     * are left and more wait behind them, so that the control port's accept fails; then {@code waiting} adds clients
     * for the listener, whose accept fails too, with no backend connect in progress to pause it.
     *
     * <p>How many descriptors the flood leaves free varies: clients accepted while no server socket could be made
     * are closed, and the last of them free their descriptors after the backlog has emptied (up to one batch of
     * accepts, -m). So the free descriptors are counted and taken at once, rather than one control client at a
     * time: the control port closes a silent client after 5 s, and the limit must hold from the first of them until
     * the window ends.
     */
    private long cpuAtTheLimit(Callable<List<? extends AutoCloseable>> waiting) throws Exception {
        List<AutoCloseable> held = new ArrayList<>();
        try {
            awaitQuiet();
            long filled = System.nanoTime();
            while (!atTheLimitWithAControlClientWaiting()) {
                // Clients still in the control port's accept queue are not counted as free again: taking more than
                // its backlog holds would leave connects waiting a second for the SYN to be sent again.
                int free = Math.max(1, NOFILE - descriptors() - waiting(controlPort));
                assertThat(held.size() + free).as("silent control clients needed to reach the limit")
                        .isLessThanOrEqualTo(MAX_SILENT);
                for (int i = 0; i < free; i++) {
                    held.add(connect(controlPort));
                }
            }
            List<? extends AutoCloseable> more = waiting.call();
            held.addAll(more);
            // The few waiting clients' own work is left out of the window.
            long settled = System.nanoTime() + SETTLE.toNanos();
            Programs.await("the waiting clients' work done", SETTLE.plusSeconds(1),
                    () -> System.nanoTime() - settled >= 0);
            long start = cpuNanos();
            long end = System.nanoTime() + AT_LIMIT.toNanos();
            Programs.await("the measuring window", AT_LIMIT.plusSeconds(1), () -> System.nanoTime() - end >= 0);
            long used = cpuNanos() - start;
            assertThat(Duration.ofNanos(System.nanoTime() - filled)).as("from the first silent control client to "
                    + "the window's end (the control port drops one after 5 s)").isLessThan(Duration.ofMillis(4800));
            // No descriptor freed meanwhile: the clients waiting for the listener are still in its accept queue,
            // neither accepted nor dropped.
            assertThat(descriptors()).as("still at the limit after the window").isEqualTo(NOFILE);
            if (!more.isEmpty()) {
                assertThat(waiting(listenerPort)).as("clients in the listener's accept queue after the window")
                        .isGreaterThanOrEqualTo(more.size());
            }
            assertThat(used / 1e9).as("CPU seconds in %s at the limit", AT_LIMIT)
                    .isLessThan(MAX_CPU_AT_LIMIT * AT_LIMIT.toNanos() / 1e9);
            return used;
        } finally {
            closeAll(held);
        }
    }

    /**
     * Waits until the balancer is done with the flood (closing what it could not serve, compiling, collecting): less
     * than {@link #QUIET} of one core over {@link #QUIET_SPAN}. A balancer that spins at the limit never gets there.
     */
    private void awaitQuiet() throws IOException {
        long[] last = {System.nanoTime(), cpuNanos()};
        Programs.await("the balancer quiet after the flood (it may spin)", WAIT, () -> {
            long now = System.nanoTime();
            if (now - last[0] < QUIET_SPAN.toNanos()) {
                return false;
            }
            long cpu;
            try {
                cpu = cpuNanos();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            boolean quiet = cpu - last[1] < QUIET * (now - last[0]);
            last[0] = now;
            last[1] = cpu;
            return quiet;
        });
    }

    /** True once the balancer holds every descriptor it may, within 0.2 s. */
    private boolean atTheLimit() {
        return holdsSoon(() -> descriptors() >= NOFILE);
    }

    /** True, within 0.2 s, once the balancer holds every descriptor and a control client is not accepted. */
    private boolean atTheLimitWithAControlClientWaiting() {
        return holdsSoon(() -> descriptors() >= NOFILE && waiting(controlPort) > 0);
    }

    private static boolean holdsSoon(BooleanSupplier condition) {
        try {
            Programs.await("the limit", Duration.ofMillis(200), condition);
            return true;
        } catch (AssertionError notYet) {
            return false;
        }
    }

    /**
     * Clients in the accept queue of the TCP listener on {@code port}: its receive queue, as {@code ss} reads it
     * from the kernel for listeners only (reading /proc/net/tcp takes seconds when other tests left many sockets in
     * TIME_WAIT).
     */
    private static int waiting(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + port).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(ss.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("ss done").isTrue();
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                // State Recv-Q Send-Q Local Peer; a listener's Recv-Q is its accept queue.
                if (f.length > 3 && f[0].equals("LISTEN") && f[3].endsWith(":" + port)) {
                    return Integer.parseInt(f[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return 0;
    }

    /** utime + stime of the balancer, from /proc/PID/stat, in nanoseconds (clock ticks of 10 ms). */
    private long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields after the command: state is field 3 of stat, utime 14 and stime 15.
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    /** The status column of each server on the -w page. */
    private List<String> serverStatuses() {
        String page = control("status");
        String servers = page.substring(page.indexOf("<table"), page.indexOf("</table>"));
        List<String> statuses = new ArrayList<>();
        String[] rows = servers.split("<tr>\n");
        for (int i = 2; i < rows.length; i++) { // rows[0] before the first row, rows[1] the header
            Matcher cell = Pattern.compile("<td>([^<]*)</td>").matcher(rows[i]);
            List<String> cells = new ArrayList<>();
            while (cell.find()) {
                cells.add(cell.group(1));
            }
            statuses.add(cells.get(2));
        }
        return statuses;
    }

    /** What pen's descriptor {@code fd} is, or "" when it has none by that number (any more). */
    private String link(int fd) throws IOException {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd)).toString();
        } catch (java.nio.file.NoSuchFileException e) {
            return "";
        }
    }

    /** The inode of the TCP socket on local port {@code port} whose peer has port {@code peerPort}. */
    private static String inodeOfPeer(int port, int peerPort) throws IOException {
        String local = String.format(":%04X ", port);
        String remote = String.format(":%04X ", peerPort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && (f[1] + " ").endsWith(local) && (f[2] + " ").endsWith(remote)) {
                    return f[9];
                }
            }
        }
        throw new AssertionError("no socket on port " + port + " with a peer on port " + peerPort);
    }

    // ---- clients ----------------------------------------------------------------------------------------------

    /** pen's reply to a control command, or "" when none came (the control port can't accept now). */
    private String control(String command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", controlPort), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write((command + "\n").getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    /** True when a fresh client through pen gets a backend's greeting. */
    private static boolean served(int port) {
        try (Socket s = connect(port)) {
            s.setSoTimeout(1000);
            return readLine(s.getInputStream()).startsWith("backend");
        } catch (IOException e) {
            return false;
        }
    }

    /** True when a datagram from a fresh client port gets a backend's answer through pen. */
    private static boolean answered(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(500);
            s.send(new DatagramPacket(new byte[] {'q'}, 1, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            s.receive(reply);
            String text = new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII);
            return text.startsWith("one ") || text.startsWith("two ");
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString();
    }

    private static void closeAll(List<? extends AutoCloseable> all) throws Exception {
        for (AutoCloseable c : all) {
            c.close();
        }
        all.clear();
    }
}
