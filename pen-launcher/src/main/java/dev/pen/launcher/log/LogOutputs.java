package dev.pen.launcher.log;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * Where {@link PenLog}'s writer thread puts lines: the log file ({@code -l FILE}) or pen's network log
 * ({@code -l host:port}, one datagram per line). Owned by that thread.
 */
final class LogOutputs {
    /** pen's network log datagram: {@code + client server text\n} in a buffer of this many bytes. */
    static final int DATAGRAM_MAX = 1024;

    private String target;
    private OutputStream file;
    private DatagramChannel network;
    private InetSocketAddress collector;

    /** The log as last opened, or {@code null}. */
    String target() {
        return target;
    }

    boolean hasFile() {
        return file != null;
    }

    boolean hasNetwork() {
        return network != null;
    }

    /**
     * Opens {@code value}, then closes what was open: a log that cannot be opened leaves the old one in use.
     *
     * @throws IllegalArgumentException naming the log when it cannot be opened
     * @throws IOException when the old output failed to close (the new one is in use)
     */
    void open(String value) throws IOException {
        OutputStream nextFile = null;
        DatagramChannel nextNetwork = null;
        InetSocketAddress nextCollector = null;
        try {
            if (LogTarget.isNetwork(value)) {
                nextCollector = LogTarget.collector(value);
                nextNetwork = DatagramChannel.open();
            } else {
                nextFile = new BufferedOutputStream(new FileOutputStream(value, true), 1 << 16);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("can't open log '" + value + "': " + e.getMessage());
        }
        try {
            close();
        } finally {
            file = nextFile;
            network = nextNetwork;
            collector = nextCollector;
            target = value;
        }
    }

    /** Closes whatever is open; nothing is open afterwards, even when closing failed. */
    void close() throws IOException {
        try {
            if (file != null) {
                file.close();
            }
            if (network != null) {
                network.close();
            }
        } finally {
            file = null;
            network = null;
            target = null;
        }
    }

    /** One line to the file; false when no file is open. */
    boolean write(byte[] line) throws IOException {
        if (file == null) {
            return false;
        }
        file.write(line);
        return true;
    }

    /** One datagram to the network log, when one is open. */
    void send(String client, String server, byte[] text) throws IOException {
        if (network != null) {
            network.send(datagram(client, server, text), collector);
        }
    }

    /** Flushes the file; false when no file is open. */
    boolean flush() throws IOException {
        if (file == null) {
            return false;
        }
        file.flush();
        return true;
    }

    /** pen's datagram: the text cut only so that the whole, newline included, fits pen's 1 KiB buffer. */
    static ByteBuffer datagram(String client, String server, byte[] text) {
        byte[] head = ("+ " + client + " " + server + " ").getBytes(StandardCharsets.ISO_8859_1);
        int room = Math.max(0, DATAGRAM_MAX - head.length - 1);
        int n = Math.min(text.length, room);
        ByteBuffer datagram = ByteBuffer.allocate(head.length + n + 1);
        datagram.put(head).put(text, 0, n).put((byte) '\n').flip();
        return datagram;
    }
}
