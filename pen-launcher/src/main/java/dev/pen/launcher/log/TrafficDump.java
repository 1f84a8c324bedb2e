package dev.pen.launcher.log;

import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import java.util.function.BooleanSupplier;

/**
 * pen's traffic dumps at debug level 3 and above ({@code -d -d -d}): every read either way, as pen prints it, the
 * byte count, {@code ": "}, then each byte in hex followed by a space ({@code 47 45 54 }), or with {@code -a}
 * ({@code ascii}) each byte as it is when printable or white space and {@code .} otherwise. The lines go to the
 * diagnostics without pen's time stamp, as pen's do.
 *
 * <p>Below level 3 the relay only asks {@link #wantsRelayedBytes()}, a read of the level; nothing is copied.
 */
public final class TrafficDump implements ConnectionLog {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final Diagnostics diagnostics;
    private final BooleanSupplier ascii;

    /**
     * @param ascii whether dumps are in ASCII ({@code -a}, {@code ascii}) rather than hex, read for every dump
     */
    public TrafficDump(Diagnostics diagnostics, BooleanSupplier ascii) {
        this.diagnostics = diagnostics;
        this.ascii = ascii;
    }

    /** The debug level can be raised at any time ({@code debug 3}). */
    @Override
    public boolean mayWantRelayedBytes() {
        return true;
    }

    @Override
    public boolean wantsRelayedBytes() {
        return diagnostics.level() >= 3;
    }

    @Override
    public void relayed(ConnectionInfo connection, boolean fromClient, byte[] bytes) {
        diagnostics.raw(format(bytes, ascii.getAsBoolean()));
    }

    /** pen's dump of {@code bytes}, without the newline that ends it. */
    static String format(byte[] bytes, boolean ascii) {
        StringBuilder b = new StringBuilder(12 + bytes.length * (ascii ? 1 : 3));
        b.append(bytes.length).append(": ");
        for (byte x : bytes) {
            int c = x & 0xff;
            if (ascii) {
                // C's isprint() or isspace() in the C locale.
                boolean shown = (c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r');
                b.append(shown ? (char) c : '.');
            } else {
                b.append(HEX[c >> 4]).append(HEX[c & 0xf]).append(' ');
            }
        }
        return b.toString();
    }
}
