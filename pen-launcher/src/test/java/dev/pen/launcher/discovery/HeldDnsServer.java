package dev.pen.launcher.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A DNS server on a loopback UDP port that answers every A question with {@code 127.0.0.9} (time to live 60) and
 * every other question with no record, but holds its first answer until {@link #release()}: a test can do
 * something to the asker while that answer is on its way. Stopped by {@link #close()}.
 */
final class HeldDnsServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;
    private final CountDownLatch firstAsked = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    HeldDnsServer() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "held-dns");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Waits until the first question has come in. */
    boolean awaitFirstQuestion() throws InterruptedException {
        return firstAsked.await(10, TimeUnit.SECONDS);
    }

    /** Lets the first answer go. */
    void release() {
        released.countDown();
    }

    private void serve() {
        byte[] in = new byte[1500];
        boolean first = true;
        try {
            while (!socket.isClosed()) {
                DatagramPacket query = new DatagramPacket(in, in.length);
                socket.receive(query);
                if (first) {
                    first = false;
                    firstAsked.countDown();
                    if (!released.await(10, TimeUnit.SECONDS)) {
                        return;
                    }
                }
                byte[] answer = answer(ByteBuffer.wrap(in, 0, query.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed: the test is over
        }
    }

    /** The answer to one query: its question echoed, and one A record when it asked for A. */
    private static byte[] answer(ByteBuffer query) {
        if (query.remaining() < 12) {
            return null;
        }
        int id = query.getShort(0) & 0xffff;
        int at = 12;
        while (at < query.limit() && query.get(at) != 0) {
            at += (query.get(at) & 0xff) + 1;
        }
        int questionEnd = at + 5;
        if (questionEnd > query.limit()) {
            return null;
        }
        int type = query.getShort(at + 1) & 0xffff;
        boolean a = type == 1;
        ByteBuffer out = ByteBuffer.allocate(questionEnd + 16);
        out.putShort((short) id).putShort((short) 0x8180).putShort((short) 1).putShort((short) (a ? 1 : 0))
                .putShort((short) 0).putShort((short) 0);
        out.put(query.array(), query.arrayOffset() + 12, questionEnd - 12);
        if (a) {
            out.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4)
                    .put(new byte[] {127, 0, 0, 9});
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    @Override
    public void close() throws InterruptedException {
        released.countDown();
        socket.close();
        thread.join(10_000);
    }
}
