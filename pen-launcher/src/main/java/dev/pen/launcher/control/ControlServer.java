package dev.pen.launcher.control;

import dev.pen.api.AccessList;
import dev.pen.api.Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.IntFunction;

/**
 * pen's control port ({@code -C [addr:]port} or a Unix socket path): one command a connection, answered by the
 * {@link Interpreter}, then the connection is closed. Clients the control ACL denies are closed without a reply.
 *
 * <p>Unlike pen, a control client never holds anything up: one thread serves every control connection with
 * non-blocking sockets, the balancer runs on threads of its own, and a client that has not sent its line within
 * {@link #COMMAND_TIMEOUT} is closed.
 */
public final class ControlServer implements AutoCloseable {
    /** How long a control client may take to send its command line. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_COMMAND = 4095;
    private static final Duration ACCEPT_PAUSE = Duration.ofMillis(200);

    private final Interpreter interpreter;
    private final IntFunction<AccessList> accessLists;
    private final ControlHost host;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final Path unixPath;
    /** The identity (device and inode) of the socket file bound, so that one another process bound since stays. */
    private final Object socketFile;
    private final Thread thread;
    private volatile boolean closing;
    /** When accepting, paused after a failed accept (out of descriptors, say), starts again; 0 while it runs. */
    private long acceptPausedUntil;

    /** One control connection's progress. */
    private static final class Client {
        final ByteBuffer in = ByteBuffer.allocate(MAX_COMMAND);
        final long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        ByteBuffer out;
    }

    private ControlServer(Interpreter interpreter, IntFunction<AccessList> accessLists, ControlHost host,
            Selector selector, ServerSocketChannel server, Path unixPath, Object socketFile) {
        this.interpreter = interpreter;
        this.accessLists = accessLists;
        this.host = host;
        this.selector = selector;
        this.server = server;
        this.unixPath = unixPath;
        this.socketFile = socketFile;
        this.thread = new Thread(this::serve, "pen-control");
        thread.setDaemon(true);
    }

    /**
     * Opens the control port at {@code spec} (pen's {@code -C} syntax) and starts serving.
     *
     * @param accessLists the balancer's access lists by number, for the control ACL
     * @throws IOException when the address cannot be bound
     * @throws IllegalArgumentException when {@code spec} is not an address
     */
    public static ControlServer open(String spec, Interpreter interpreter, IntFunction<AccessList> accessLists,
            ControlHost host) throws IOException {
        Address address = Address.parseListen(spec, "tcp");
        ServerSocketChannel channel;
        Path unixPath = null;
        Object socketFile = null;
        if (address.isUnix()) {
            unixPath = Path.of(address.path());
            // pen removes a stale socket file before binding, so a restart after a crash works.
            Files.deleteIfExists(unixPath);
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(unixPath));
            socketFile = fileKey(unixPath);
        } else {
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(address.host() == null ? "0.0.0.0" : address.host(), address.port()));
        }
        channel.configureBlocking(false);
        Selector selector = Selector.open();
        channel.register(selector, SelectionKey.OP_ACCEPT);
        ControlServer control = new ControlServer(interpreter, accessLists, host, selector, channel, unixPath,
                socketFile);
        control.thread.start();
        return control;
    }

    /** The file's identity (device and inode), or null when it is gone or the file system has none. */
    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The bound address (the real port when the spec asked for port 0). */
    public SocketAddress localAddress() throws IOException {
        return server.getLocalAddress();
    }

    private void serve() {
        try {
            while (!closing) {
                resumeAccepting();
                selector.select(500);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    try {
                        handle(key);
                    } catch (IOException | RuntimeException e) {
                        if (key.channel() == server) {
                            pauseAccepting(key, e);
                        } else {
                            host.debug(1, "control connection: " + e);
                            drop(key);
                        }
                    } catch (StackOverflowError | OutOfMemoryError e) {
                        // One command went wrong; the control port and every later command must not go with it.
                        host.debug(0, "control connection: " + e);
                        drop(key);
                    }
                }
                expire();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closing) {
                host.debug(0, "control port stopped: " + e.getMessage());
            }
        }
    }

    private void handle(SelectionKey key) throws IOException {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            SocketChannel channel;
            while ((channel = server.accept()) != null) {
                accept(channel);
            }
            return;
        }
        SocketChannel channel = (SocketChannel) key.channel();
        Client client = (Client) key.attachment();
        if (key.isReadable() && client.out == null) {
            int n = channel.read(client.in);
            if (n < 0 || hasLine(client.in) || !client.in.hasRemaining()) {
                answer(key, client);
            }
        }
        if (key.isValid() && key.isWritable() && client.out != null) {
            channel.write(client.out);
            if (!client.out.hasRemaining()) {
                drop(key);
            }
        }
    }

    private void accept(SocketChannel channel) throws IOException {
        SocketAddress peer = channel.getRemoteAddress();
        if (peer instanceof InetSocketAddress inet && inet.getAddress() != null
                && !accessLists.apply(interpreter.settings().controlAcl()).permits(inet.getAddress())) {
            host.debug(0, "do_ctrl: not from there");
            channel.close();
            return;
        }
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, new Client());
    }

    private static boolean hasLine(ByteBuffer in) {
        for (int i = 0; i < in.position(); i++) {
            byte c = in.get(i);
            if (c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    private void answer(SelectionKey key, Client client) {
        String line = new String(client.in.array(), 0, client.in.position(), StandardCharsets.ISO_8859_1);
        String reply = interpreter.execute(line);
        client.out = ByteBuffer.wrap(reply.getBytes(StandardCharsets.ISO_8859_1));
        if (!client.out.hasRemaining()) {
            drop(key);
            return;
        }
        key.interestOps(SelectionKey.OP_WRITE);
    }

    private void expire() {
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Client c && now - c.deadline > 0) {
                host.debug(1, "control client timed out after " + COMMAND_TIMEOUT.toSeconds() + " s");
                drop(key);
            }
        }
    }

    /**
     * A failed accept (no descriptor left, say) keeps the control port: accepting stops for a moment, so that the
     * loop does not spin on a socket that stays ready, and starts again.
     */
    private void pauseAccepting(SelectionKey key, Exception e) {
        host.debug(0, "control port: can't accept now, trying again shortly: " + e.getMessage());
        key.interestOps(0);
        acceptPausedUntil = System.nanoTime() + ACCEPT_PAUSE.toNanos();
    }

    private void resumeAccepting() {
        if (acceptPausedUntil != 0 && System.nanoTime() - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            SelectionKey key = server.keyFor(selector);
            if (key != null && key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }
    }

    private static void drop(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // Closing a control client that is already gone.
        }
    }

    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
            server.close();
            if (unixPath != null && socketFile != null && socketFile.equals(fileKey(unixPath))) {
                Files.deleteIfExists(unixPath);
            }
        } catch (IOException e) {
            host.debug(1, "closing the control port: " + e.getMessage());
        }
    }
}
