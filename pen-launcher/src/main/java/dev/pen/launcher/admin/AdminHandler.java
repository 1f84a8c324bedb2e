package dev.pen.launcher.admin;

import dev.pen.launcher.control.ControlHost;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers the admin listener's requests: {@code GET /metrics}, {@code GET /status.json} and {@code GET /}; any
 * other path is 404, any other method 405, a request the codec could not read 400 (414 or 431 when a line or the
 * header block was too long; the aggregator answers a body too large with 413). Shared by every connection;
 * it keeps no state of its own.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final ControlHost host;

    AdminHandler(PrometheusMeterRegistry registry, ControlHost host) {
        this.registry = registry;
        this.host = host;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
            if (cause instanceof TooLongHttpLineException) {
                status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            } else if (cause instanceof TooLongHttpHeaderException) {
                status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            } else if (cause instanceof TooLongFrameException) {
                status = HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            }
            send(ctx, false, plain(status, status.reasonPhrase() + "\n"));
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse r = plain(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served here\n");
            r.headers().set(HttpHeaderNames.ALLOW, "GET");
            send(ctx, keepAlive, r);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        FullHttpResponse response = switch (path) {
            case "/metrics" -> response(HttpResponseStatus.OK, PROMETHEUS_TEXT, registry.scrape());
            case "/status.json" -> response(HttpResponseStatus.OK, "application/json; charset=utf-8",
                    StatusDocuments.json(snapshot()));
            case "/" -> html(StatusDocuments.html(snapshot()));
            default -> plain(HttpResponseStatus.NOT_FOUND, "not found (expected /, /status.json or /metrics)\n");
        };
        send(ctx, keepAlive, response);
    }

    private StatusDocuments.Snapshot snapshot() {
        return StatusDocuments.Snapshot.of(host.config(), host.live());
    }

    private static FullHttpResponse html(String page) {
        FullHttpResponse r = response(HttpResponseStatus.OK, "text/html; charset=utf-8", page);
        // Nothing on the page is fetched or run: no script, no image, no outside address.
        r.headers().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        return r;
    }

    private static FullHttpResponse plain(HttpResponseStatus status, String text) {
        return response(status, "text/plain; charset=utf-8", text);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type).setInt(HttpHeaderNames.CONTENT_LENGTH,
                content.readableBytes()).set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff");
        return r;
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof ReadTimeoutException) && !(cause instanceof IOException)) {
            host.debug(1, "admin port: " + cause);
        }
        ctx.close();
    }
}
