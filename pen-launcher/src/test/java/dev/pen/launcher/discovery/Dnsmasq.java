package dev.pen.launcher.discovery;

import dev.pen.netty.testing.Programs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dnsmasq in the foreground on a free loopback port, answering for {@code *.test} only from a hosts file and
 * {@code --srv-host} records, with a time to live of one second. {@link #hosts} rewrites the hosts file and sends
 * HUP (dnsmasq reads it again); {@link #services} restarts it on the same port with other SRV records. Skipped
 * where dnsmasq is missing, failed under CI=true. Stopped by {@link #close()}.
 */
public final class Dnsmasq implements AutoCloseable {
    private final Path program;
    private final Path dir;
    private final Path hostsFile;
    private final int port;
    private Process process;

    private Dnsmasq(Path program, Path dir, int port) {
        this.program = program;
        this.dir = dir;
        this.hostsFile = dir.resolve("dns-hosts");
        this.port = port;
    }

    /** Starts one with these hosts-file lines and {@code --srv-host} values. */
    public static Dnsmasq start(Path dir, List<String> hosts, List<String> srvHosts) throws IOException {
        Path program = Programs.path("dnsmasq");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            Dnsmasq d = new Dnsmasq(program, dir, freePort());
            Files.write(d.hostsFile, hosts);
            try {
                d.launch(srvHosts);
                return d;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** {@code 127.0.0.1:PORT}, as {@code --dns-server} takes it. */
    public String server() {
        return "127.0.0.1:" + port;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Rewrites the hosts file and has dnsmasq read it again. */
    void hosts(List<String> lines) throws IOException, InterruptedException {
        Path temp = dir.resolve("dns-hosts.tmp");
        Files.write(temp, lines);
        Files.move(temp, hostsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -HUP " + process.pid() + " failed");
        }
    }

    /** Restarts dnsmasq on the same port with these {@code --srv-host} values. */
    void services(List<String> srvHosts) throws IOException, InterruptedException {
        stop();
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                launch(srvHosts);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private void launch(List<String> srvHosts) throws IOException {
        List<String> command = new ArrayList<>(List.of(program.toString(), "--no-daemon", "--conf-file=/dev/null",
                "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
                "--addn-hosts=" + hostsFile, "--local-ttl=1", "--pid-file=", "--local=/test/",
                "--user=" + System.getProperty("user.name")));
        srvHosts.forEach(s -> command.add("--srv-host=" + s));
        Path log = dir.resolve("dnsmasq.log");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!awaitAnswer()) {
            stop();
            throw new IOException("dnsmasq did not start: " + Files.readString(log));
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /** Asks for {@code probe.test} until any answer comes (dnsmasq is up), it exits, or 10 s pass. */
    private boolean awaitAnswer() throws IOException {
        byte[] query = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            5, 'p', 'r', 'o', 'b', 'e', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(100);
            while (System.nanoTime() < deadline && process.isAlive()) {
                s.send(new DatagramPacket(query, query.length, address()));
                try {
                    s.receive(new DatagramPacket(new byte[512], 512));
                    return true;
                } catch (SocketTimeoutException | PortUnreachableException e) {
                    // not up yet: ask again
                }
            }
        }
        return false;
    }

    private void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted stopping dnsmasq", e));
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }
}
