package dev.pen.logtools.resolve;

import dev.pen.logtools.ExternalPrograms;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dnsmasq on a free loopback port answering from a hosts file and PTR records only, with one reverse zone
 * handed to a server that never answers. Stopped by {@link #close()}.
 */
public final class Dnsmasq implements AutoCloseable {

    private final Process process;
    private final DatagramSocket silent;
    final InetSocketAddress address;

    private Dnsmasq(Process process, DatagramSocket silent, InetSocketAddress address) {
        this.process = process;
        this.silent = silent;
        this.address = address;
    }

    /**
     * @param hosts hosts-file lines (address and names)
     * @param ptrRecords {@code reverse-name,host} pairs for PTR records with no matching address record
     * @param silentZone a reverse zone (e.g. {@code 77.10.in-addr.arpa}) whose queries never get an answer
     */
    public static Dnsmasq start(Path dir, List<String> hosts, List<String> ptrRecords, String silentZone)
        throws IOException, InterruptedException {
        Path program = ExternalPrograms.require("dnsmasq", "dnsmasq-base");
        Path hostsFile = dir.resolve("dns-hosts");
        Files.write(hostsFile, hosts);
        DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freeUdpPort();
            List<String> command = new ArrayList<>(List.of(program.toString(), "--keep-in-foreground",
                "--conf-file=/dev/null", "--port=" + port, "--listen-address=127.0.0.1", "--bind-interfaces",
                "--no-resolv", "--no-hosts", "--addn-hosts=" + hostsFile, "--pid-file=",
                "--user=" + System.getProperty("user.name"), "--local=/test/", "--local=/in-addr.arpa/",
                "--local=/ip6.arpa/", "--server=/" + silentZone + "/127.0.0.1#" + silent.getLocalPort()));
            for (String ptr : ptrRecords) {
                command.add("--ptr-record=" + ptr);
            }
            Path log = dir.resolve("dnsmasq.log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (awaitAnswer(address, process)) {
                return new Dnsmasq(process, silent, address);
            }
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            last = new IOException("dnsmasq did not start: " + Files.readString(log));
        }
        silent.close();
        throw last;
    }

    /** The {@code --dns} argument for this server. */
    public String dnsArgument() {
        return "127.0.0.1:" + address.getPort();
    }

    /** A UDP port free on loopback now. */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    /**
     * Asks {@code server} for {@code probe.test} until any answer comes (it is up), {@code process} exits or 10 s
     * pass.
     */
    public static boolean awaitAnswer(InetSocketAddress server, Process process) throws IOException {
        byte[] query = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
            5, 'p', 'r', 'o', 'b', 'e', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1};
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(100);
            while (System.nanoTime() < deadline && process.isAlive()) {
                s.send(new DatagramPacket(query, query.length, server));
                try {
                    s.receive(new DatagramPacket(new byte[512], 512));
                    return true;
                } catch (SocketTimeoutException e) {
                    // not up yet: ask again
                } catch (java.net.PortUnreachableException e) {
                    // not bound yet
                }
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        silent.close();
    }
}
