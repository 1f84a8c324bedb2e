package dev.pen.netty.internal.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.lang.reflect.Field;
import java.util.Queue;

/**
 * Socket-to-socket splice(2), which only the epoll transport offers; kept apart so other runs never load it.
 *
 * <p>Netty does not say how much of a splice request was done when the input ends before the request is
 * filled; {@link #unfilled} reads it from the pending request (a field of Netty 4.2's epoll channel) so that
 * byte figures stay exact. Where that field cannot be read, the part is left uncounted.
 */
public final class NativeSplice {
    private static final Field QUEUE;
    private static final Field LENGTH;

    static {
        Field queue = null;
        Field length = null;
        try {
            Class<?> stream = io.netty.channel.epoll.AbstractEpollStreamChannel.class;
            queue = stream.getDeclaredField("spliceQueue");
            queue.setAccessible(true);
            Class<?> task = Class.forName(stream.getName() + "$SpliceInTask");
            length = task.getDeclaredField("len");
            length.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            queue = null;
            length = null;
        }
        QUEUE = queue;
        LENGTH = length;
    }

    private NativeSplice() {
    }

    /** Moves the next {@code length} bytes read from {@code from} to {@code to} without copying them. */
    @SuppressWarnings("deprecation")
    public static ChannelFuture spliceTo(Channel from, Channel to, int length) {
        return ((io.netty.channel.epoll.AbstractEpollStreamChannel) from)
                .spliceTo((io.netty.channel.epoll.AbstractEpollStreamChannel) to, length);
    }

    /** Bytes the pending splice request on {@code from} still waits for, or -1 when unknown or none. */
    public static int unfilled(Channel from) {
        if (QUEUE == null) {
            return -1;
        }
        try {
            Queue<?> queue = (Queue<?>) QUEUE.get(from);
            Object task = queue == null ? null : queue.peek();
            return task == null ? -1 : LENGTH.getInt(task);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
