package dev.pen.netty.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.lang.reflect.Field;

/**
 * A peer's reset that Netty 4.2's io_uring channel never reports. A reset that arrives while bytes are still
 * unread wakes the channel once (its POLLRDHUP and its multishot POLLIN fire together); the channel reads the
 * bytes until the kernel says the socket is empty (after a FIN it says one byte is left, the end, so reading goes
 * on to it; after a reset it does not), then waits for its POLLIN to fire again, which it never does. No read
 * sees the error: no exception, no end of input, the channel open for ever.
 *
 * <p>{@link #resetUnread} tells that case apart when a read batch has ended without the end of the input: the
 * channel saw its peer hang up, and the socket holds an error. The hang-up is read from Netty's read handle (a
 * field of Netty 4.2's io_uring transport); only when it is set is the socket asked (one system call). Where the
 * field cannot be read, nothing is found.
 */
public final class IoUringHangup {
    private static final Class<?> HANDLE;
    private static final Field RDHUP;

    static {
        Class<?> handle = null;
        Field rdHup = null;
        try {
            handle = Class.forName("io.netty.channel.uring.IoUringRecvByteAllocatorHandle");
            rdHup = handle.getDeclaredField("rdHupReceived");
            rdHup.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            handle = null;
            rdHup = null;
        }
        HANDLE = handle;
        RDHUP = rdHup;
    }

    private IoUringHangup() {
    }

    /**
     * Whether {@code ch}'s peer reset the connection and the channel will not say so. Call on {@code ch}'s event
     * loop once a read batch is complete, while its input has not ended; the bytes read before the reset have been
     * passed on by then.
     */
    public static boolean resetUnread(Channel ch) {
        if (RDHUP == null || !ch.isActive() || !hungUp(ch) || !(ch instanceof UnixChannel unix)
                || !(unix.fd() instanceof Socket socket)) {
            return false;
        }
        try {
            return socket.getSoError() != 0;
        } catch (IOException e) {
            return true; // the socket cannot even be asked
        }
    }

    private static boolean hungUp(Channel ch) {
        RecvByteBufAllocator.Handle handle = ch.unsafe().recvBufAllocHandle();
        try {
            return HANDLE.isInstance(handle) && RDHUP.getBoolean(handle);
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }
}
