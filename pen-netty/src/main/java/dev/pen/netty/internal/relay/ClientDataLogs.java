package dev.pen.netty.internal.relay;

import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * The listeners that take {@link ConnectionLog#clientData}: those that wanted it when the balancer started. Each
 * is asked again before every delivery, so it can pause cheaply; the first line of the read is copied only for
 * a listener that wants it now, and at most its own limit of bytes.
 */
public final class ClientDataLogs {
    private final ConnectionLog[] logs;
    private final int[] limits;
    private final int maxLimit;

    public ClientDataLogs(List<ConnectionLog> all) {
        this.logs = all.stream().filter(ConnectionLog::wantsClientData).toArray(ConnectionLog[]::new);
        this.limits = new int[logs.length];
        int max = 0;
        for (int i = 0; i < logs.length; i++) {
            limits[i] = Math.max(0, logs[i].clientDataLimit());
            max = Math.max(max, limits[i]);
        }
        this.maxLimit = max;
    }

    /** True when some listener may want client data; false means {@link #deliver} need never be called. */
    public boolean any() {
        return logs.length > 0;
    }

    /** True when some listener wants client data now. */
    public boolean wantedNow() {
        for (ConnectionLog log : logs) {
            if (log.wantsClientData()) {
                return true;
            }
        }
        return false;
    }

    /** Gives each listener that wants it now the first line of {@code data}, without consuming it. */
    public void deliver(ConnectionInfo connection, ByteBuf data) {
        int length = -1;
        int start = data.readerIndex();
        for (int i = 0; i < logs.length; i++) {
            if (!logs[i].wantsClientData()) {
                continue;
            }
            if (length < 0) {
                int max = Math.min(data.readableBytes(), maxLimit);
                int end = max == 0 ? -1 : data.forEachByte(start, max, ByteProcessor.FIND_CRLF);
                length = end < 0 ? max : end - start;
            }
            byte[] line = new byte[Math.min(length, limits[i])];
            data.getBytes(start, line);
            logs[i].clientData(connection, line);
        }
    }
}
