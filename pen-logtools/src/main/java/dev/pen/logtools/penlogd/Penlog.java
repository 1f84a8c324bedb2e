package dev.pen.logtools.penlogd;

import dev.pen.api.cli.Version;
import dev.pen.logtools.lines.LineReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * pen's {@code penlog server port [my_ip]}: sends each line of standard input, newline included, as one UDP
 * datagram to penlogd. Meant as a web server's piped log, e.g. Apache's
 * {@code CustomLog "|penlog loghost 10000" common}.
 */
public final class Penlog {

    /** The largest UDP payload; a longer line is cut there. */
    static final int MAX_DATAGRAM = 65_507;

    private Penlog() {
    }

    static final String USAGE = "Usage: penlog server_ip server_port [my_ip]";

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--help")) {
            System.out.println(USAGE);
        } else if (args.length == 1 && args[0].equals("--version")) {
            System.out.println(Version.line("penlog"));
        } else {
            System.exit(run(args, System.in, System.err));
        }
    }

    /** Sends {@code in}'s lines as {@code args} say; returns the exit status. */
    public static int run(String[] args, InputStream in, PrintStream err) {
        if (args.length < 2) {
            err.println(USAGE);
            return 1;
        }
        InetSocketAddress server;
        try {
            int port = Integer.parseInt(args[1]);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            server = new InetSocketAddress(InetAddress.getByName(args[0]), port);
        } catch (NumberFormatException e) {
            err.println("penlog: bad port '" + args[1] + "' (expected 1..65535)");
            return 1;
        } catch (UnknownHostException e) {
            err.println("penlog: getaddrinfo: unknown host '" + args[0] + "'");
            return 1;
        }
        try (DatagramChannel channel = DatagramChannel.open()) {
            if (args.length > 2) {
                try {
                    channel.bind(new InetSocketAddress(InetAddress.getByName(args[2]), 0));
                } catch (IOException e) {
                    err.println("penlog: Problem creating socket: can't use local address '" + args[2] + "': "
                        + e.getMessage());
                    return 1;
                }
            }
            LineReader lines = new LineReader(in);
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                byte[] bytes = (lines.lastLineTerminated() ? line + "\n" : line).getBytes(StandardCharsets.ISO_8859_1);
                ByteBuffer datagram = ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, MAX_DATAGRAM));
                try {
                    channel.send(datagram, server);
                } catch (IOException e) {
                    err.println("Problem sending data: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            err.println("penlog: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
