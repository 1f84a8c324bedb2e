package dev.pen.launcher.control;

import dev.pen.api.HostPort;
import dev.pen.api.Services;
import dev.pen.api.cli.Version;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * pen's {@code penctl host:port|path command...}: sends the words joined by spaces and a newline to a control port,
 * copies the reply to stdout until the balancer closes the connection. Messages and exit codes are penctl's.
 */
public final class Penctl {
    private static final int MAX_COMMAND = 1024;
    /** How long a balancer has to answer: its control port closes a silent client after 5 s. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private Penctl() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs penctl and returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, REPLY_TIMEOUT);
    }

    /** Runs penctl, giving up when the balancer has not finished its reply {@code timeout} after connecting. */
    static int run(String[] args, PrintStream out, PrintStream err, Duration timeout) {
        if (args.length == 1 && args[0].equals("--version")) {
            out.println(Version.line("penctl"));
            return 0;
        }
        if (args.length < 2) {
            out.println("usage: penctl host:port command");
            return 0;
        }
        String target = args[0];
        StringBuilder command = new StringBuilder();
        for (int i = 1; i < args.length; i++) {
            command.append(i > 1 ? " " : "").append(args[i]);
        }
        command.append('\n');
        if (command.length() > MAX_COMMAND) {
            err.println("Overlong argument list");
            return 1;
        }
        byte[] request = command.toString().getBytes(StandardCharsets.ISO_8859_1);
        try {
            if (HostPort.isPath(target)) {
                return unix(target, request, out, err, timeout);
            }
            if (target.indexOf(':') < 0) {
                err.println("no port given");
                return 1;
            }
            int port;
            InetAddress address;
            try {
                HostPort split = HostPort.parse(target);
                port = Services.port(split.port(), "tcp");
                address = InetAddress.getByName(split.host().isEmpty() ? "0.0.0.0" : split.host());
            } catch (UnknownHostException | IllegalArgumentException e) {
                err.println("getaddrinfo: Name or service not known");
                return 1;
            }
            try (Socket socket = new Socket()) {
                try {
                    socket.connect(new InetSocketAddress(address, port), 10_000);
                } catch (IOException e) {
                    err.println("error connecting to server");
                    return 1;
                }
                return exchange(socket, socket.getInputStream(), socket.getOutputStream(), request, out, err,
                        target, timeout);
            }
        } catch (IOException e) {
            // The balancer closed the connection mid-reply: what arrived has been copied, as penctl does.
            return 0;
        }
    }

    private static int unix(String path, byte[] request, PrintStream out, PrintStream err, Duration timeout)
            throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                err.println("error connecting to server");
                return 1;
            }
            channel.write(ByteBuffer.wrap(request));
            return exchange(channel, Channels.newInputStream(channel), null, null, out, err, path, timeout);
        }
    }

    /**
     * Sends the request (unless already sent) and copies the reply to {@code out}; a connection that has not
     * ended {@code timeout} after the start is closed, so that a balancer that never answers cannot hang a script.
     */
    private static int exchange(Closeable connection, InputStream in, OutputStream socketOut, byte[] request,
            PrintStream out, PrintStream err, String target, Duration timeout) throws IOException {
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(timeout.toMillis());
                timedOut.set(true);
                connection.close();
            } catch (InterruptedException | IOException e) {
                // The reply ended in time.
            }
        }, "penctl-timeout");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            if (socketOut != null) {
                socketOut.write(request);
                socketOut.flush();
            }
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            if (!timedOut.get()) {
                throw e;
            }
        } finally {
            watchdog.interrupt();
            out.flush();
        }
        if (timedOut.get()) {
            err.println("penctl: no reply from " + target + " within " + timeout.toSeconds()
                    + " s (expected the balancer to answer and close)");
            return 1;
        }
        return 0;
    }
}
