package dev.pen.netty.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/** Plain blocking clients for tests: connect from a chosen loopback address and read a backend's greeting. */
public final class Clients {
    private Clients() {
    }

    /** A socket connected to {@code port} on 127.0.0.1 from {@code from} (127.0.0.x: a distinct client). */
    public static Socket connect(String from, int port) {
        try {
            Socket s = new Socket();
            s.setSoTimeout(5_000);
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects from {@code from}, reads the greeting line (a backend's name), closes; null if closed first. */
    public static String greeting(String from, int port) {
        try (Socket s = connect(from, port)) {
            return readLine(s);
        } catch (IOException e) {
            return null;
        }
    }

    /** The next line on {@code s}, or null at end of stream or on reset. */
    public static String readLine(Socket s) {
        try {
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        } catch (IOException e) {
            return null;
        }
    }

    public static int port(SocketAddress address) {
        return ((InetSocketAddress) address).getPort();
    }

    /** A port that nothing listens on now (bound then released). */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
