package dev.pen.launcher.discovery;

import dev.pen.netty.testing.Programs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
            Dnsmasq d = new Dnsmasq(program, dir, dev.pen.logtools.resolve.Dnsmasq.freeUdpPort());
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
        if (!dev.pen.logtools.resolve.Dnsmasq.awaitAnswer(address(), process)) {
            stop();
            throw new IOException("dnsmasq did not start: " + Files.readString(log));
        }
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
