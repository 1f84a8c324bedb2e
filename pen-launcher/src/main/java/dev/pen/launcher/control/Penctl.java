package dev.pen.launcher.control;

import dev.pen.api.HostPort;
import dev.pen.api.Services;
import dev.pen.api.cli.Version;
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

/**
 * pen's {@code penctl host:port|path command...}: sends the words joined by spaces and a newline to a control port,
 * copies the reply to stdout until the balancer closes the connection. Messages and exit codes are penctl's.
 */
public final class Penctl {
    private static final int MAX_COMMAND = 1024;

    private Penctl() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs penctl and returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
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
                return unix(target, request, out, err);
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
                exchange(socket.getInputStream(), socket.getOutputStream(), request, out);
            }
            return 0;
        } catch (IOException e) {
            // The balancer closed the connection mid-reply: what arrived has been copied, as penctl does.
            return 0;
        }
    }

    private static int unix(String path, byte[] request, PrintStream out, PrintStream err) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                err.println("error connecting to server");
                return 1;
            }
            channel.write(ByteBuffer.wrap(request));
            exchange(Channels.newInputStream(channel), null, null, out);
            return 0;
        }
    }

    private static void exchange(InputStream in, OutputStream socketOut, byte[] request, PrintStream out)
            throws IOException {
        if (socketOut != null) {
            socketOut.write(request);
            socketOut.flush();
        }
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        out.flush();
    }
}
