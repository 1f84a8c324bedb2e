package dev.pen.launcher.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Backends on loopback that greet each connection with their name and a newline, then echo what they get, so a
 * client through pen can tell which backend it reached and keep a connection busy.
 */
final class NamedBackends implements AutoCloseable {
    private final List<ServerSocket> servers = new ArrayList<>();

    /** Starts {@code count} backends named backend1, backend2... */
    NamedBackends(int count) throws IOException {
        for (int i = 1; i <= count; i++) {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            servers.add(s);
            String name = "backend" + i;
            Thread t = new Thread(() -> serve(s, name), name);
            t.setDaemon(true);
            t.start();
        }
    }

    int port(int index) {
        return servers.get(index).getLocalPort();
    }

    /** Stops backend {@code index} from accepting: a connect to it is refused from now on. */
    void stop(int index) throws IOException {
        servers.get(index).close();
    }

    private static void serve(ServerSocket server, String name) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(() -> echo(s, name), name + "-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void echo(Socket s, String name) {
        try (s) {
            OutputStream out = s.getOutputStream();
            out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[4096];
            int n;
            while ((n = in.read(b)) > 0) {
                out.write(b, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // The client went away; nothing to clean up beyond the socket.
        }
    }

    /** Connects through pen at {@code port} and returns the name of the backend reached. */
    static String which(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket s : servers) {
            s.close();
        }
    }
}
