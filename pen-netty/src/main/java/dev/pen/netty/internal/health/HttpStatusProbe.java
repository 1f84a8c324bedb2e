package dev.pen.netty.internal.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP check's connection: sends the request once connected and reads the status line only, at most
 * {@link #MAX_STATUS_LINE} bytes; a 2xx or 3xx status passes. Whatever follows is dropped when the check closes
 * the connection.
 */
final class HttpStatusProbe extends ChannelInboundHandlerAdapter {
    /** More than any status line a server sends; a longer first line fails the check. */
    static final int MAX_STATUS_LINE = 256;
    private static final Pattern STATUS = Pattern.compile("HTTP/\\d\\.\\d (\\d{3})(?: .*)?");

    private final ServerCheck.Attempt attempt;
    private final byte[] request;
    private final StringBuilder line = new StringBuilder();

    HttpStatusProbe(ServerCheck.Attempt attempt, byte[] request) {
        this.attempt = attempt;
        this.request = request;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(request)).addListener(f -> {
            if (!f.isSuccess()) {
                attempt.finish(false, "request not sent: " + ServerCheck.reason(f.cause()));
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf buf) {
                read(buf);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void read(ByteBuf buf) {
        while (buf.isReadable()) {
            byte b = buf.readByte();
            if (b == '\n') {
                verdict(line.toString());
                return;
            }
            if (line.length() >= MAX_STATUS_LINE) {
                attempt.finish(false, "no status line in the first " + MAX_STATUS_LINE + " bytes");
                return;
            }
            if (b != '\r') {
                line.append((char) (b & 0xff));
            }
        }
    }

    private void verdict(String statusLine) {
        Matcher m = STATUS.matcher(statusLine);
        if (!m.matches()) {
            attempt.finish(false, "not an HTTP status line: '" + printable(statusLine) + "'");
            return;
        }
        int status = Integer.parseInt(m.group(1));
        attempt.finish(status >= 200 && status < 400, "HTTP " + status);
    }

    /** At most 40 characters, anything but printable ASCII as {@code .}. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return s.length() > 40 ? b + "..." : b.toString();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        attempt.finish(false, "closed before a status line");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        attempt.finish(false, ServerCheck.reason(cause));
    }
}
