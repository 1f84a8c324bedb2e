package dev.pen.netty.internal.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/** The answer http mode gives a request it will not pass on, written to the client before the connection closes. */
enum Rejection {
    /** The request does not parse as RFC 9112 requires. */
    BAD_REQUEST("400 Bad Request"),
    /** The request head is over {@link ForwardedHeadersHandler#MAX_HEAD}. */
    HEAD_TOO_LARGE("431 Request Header Fields Too Large");

    private final byte[] response;

    Rejection(String status) {
        response = ("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the response through {@code ctx} and closes the channel once it is sent. */
    void send(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
    }
}
