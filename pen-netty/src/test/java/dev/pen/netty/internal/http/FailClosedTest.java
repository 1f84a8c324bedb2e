package dev.pen.netty.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** http mode refuses what it cannot rewrite safely, and becomes a tunnel only after the backend's 101. */
class FailClosedTest {
    private static final String BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    private static final String ADDED = "X-Forwarded-Proto: http\r\nX-Forwarded-For: 10.0.0.7\r\n";
    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String FORGED_NEXT = "GET /next HTTP/1.1\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n";
    private static final String FORGED_NEXT_OUT = "GET /next HTTP/1.1\r\nX-Forwarded-For: 127.0.0.1, 10.0.0.7\r\n"
            + "X-Forwarded-Proto: http\r\n\r\n";

    private final HttpExchange x = new HttpExchange();

    @AfterEach
    void close() {
        x.close();
    }

    private void assertRefused(String status) {
        assertThat(x.toBackend()).isEmpty();
        assertThat(x.toClient()).startsWith("HTTP/1.1 " + status + "\r\n").contains("Connection: close\r\n");
        assertThat(x.client.isOpen()).isFalse();
        assertThat(x.rejected.sum()).isEqualTo(1);
    }

    @Test
    void upgradeAnsweredWithAnythingButASwitchKeepsParsingAndTheNextRequestGetsTheClientAddress() {
        x.send("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n" + FORGED_NEXT);
        assertThat(x.toBackend()).isEqualTo("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: upgrade\r\n" + ADDED
                + "\r\n");
        assertThat(x.answer(OK)).isEqualTo(OK);
        assertThat(x.toBackend()).isEqualTo(FORGED_NEXT_OUT);
    }

    @Test
    void upgradeAnsweredWithASwitchPassesBytesBothWaysUnchanged() {
        String head = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n";
        x.send(head + "\u0081\u0005hello", FORGED_NEXT);
        assertThat(x.toBackend()).isEqualTo("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n" + ADDED + "\r\n");
        String switched = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi";
        assertThat(x.answer(switched)).isEqualTo(switched);
        assertThat(x.toBackend()).isEqualTo("\u0081\u0005hello" + FORGED_NEXT);
        x.send(FORGED_NEXT);
        assertThat(x.toBackend()).isEqualTo(FORGED_NEXT);
        assertThat(x.answer("HTTP/1.1 200 OK\r\n\r\n")).isEqualTo("HTTP/1.1 200 OK\r\n\r\n");
    }

    @Test
    void interimResponsesDoNotEndTheWaitForTheSwitch() {
        x.send("POST /ws HTTP/1.1\r\nUpgrade: h2c\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc", "tunnel");
        x.toBackend();
        x.answer("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(x.toBackend()).isEmpty();
        x.answer("HTTP/1.1 101 Switching Protocols\r\n\r\n");
        assertThat(x.toBackend()).isEqualTo("tunnel");
    }

    @Test
    void pipelinedResponsesAreCountedUpToTheUpgradeEvenWithHeadAnd204AndChunked() {
        x.send("HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n"
                + "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", FORGED_NEXT);
        x.toBackend();
        x.answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(x.toBackend()).as("the upgrade is not answered yet").isEmpty();
        x.answer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        assertThat(x.toBackend()).isEqualTo(FORGED_NEXT_OUT);
    }

    @Test
    void connectBecomesATunnelOnlyOnA2xx() {
        x.send("CONNECT example.org:443 HTTP/1.1\r\n\r\n", "\u0016\u0003\u0001");
        x.toBackend();
        x.answer("HTTP/1.1 200 Connection established\r\n\r\n");
        assertThat(x.toBackend()).isEqualTo("\u0016\u0003\u0001");
    }

    @Test
    void bytesHeldForAnUpgradeAreBounded() {
        x.send("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n");
        x.toBackend();
        x.send("a".repeat(ForwardedHeadersHandler.MAX_HELD + 1));
        assertThat(x.toBackend()).isEmpty();
        assertThat(x.toClient()).as("the upgrade is not answered yet").isEmpty();
        x.answer(OK);
        assertThat(x.toClient()).isEqualTo(BAD_REQUEST);
    }

    @Test
    void theEndOfInputIsToldAfterTheHeldBytesGoOn() {
        x.send("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", "tail");
        x.toBackend();
        java.util.List<Object> events = new java.util.ArrayList<>();
        x.client.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                events.add("read");
                ctx.fireChannelRead(msg);
            }

            @Override
            public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        x.client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(events).isEmpty();
        x.answer("HTTP/1.1 101 Switching Protocols\r\n\r\n");
        assertThat(events).containsExactly("read", ChannelInputShutdownEvent.INSTANCE);
        assertThat(x.toBackend()).isEqualTo("tail");
    }

    @Test
    void foldedLineIsRefused() {
        x.send("GET / HTTP/1.1\r\nX-Forwarded-For: 10.9.9.9\r\nX-A: a\r\n 127.0.0.1\r\n\r\n");
        assertRefused("400 Bad Request");
    }

    @Test
    void whitespaceBeforeTheColonIsRefused() {
        x.send("POST / HTTP/1.1\r\nTransfer-Encoding : chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n");
        assertRefused("400 Bad Request");
    }

    @Test
    void contentLengthBesideChunkedIsRemovedAndTheBodyFollowedAsChunked() {
        x.send("POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + FORGED_NEXT);
        assertThat(x.toBackend()).isEqualTo("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" + ADDED
                + "\r\n0\r\n\r\n" + FORGED_NEXT_OUT);
    }

    @Test
    void repeatedAgreeingContentLengthIsPassedOnOnce() {
        x.send("POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nhi");
        assertThat(x.toBackend()).isEqualTo("POST / HTTP/1.1\r\nContent-Length: 2\r\n" + ADDED + "\r\nhi");
    }

    @Test
    void conflictingContentLengthsAreRefused() {
        x.send("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 20\r\n\r\nhi");
        assertRefused("400 Bad Request");
    }

    @Test
    void contentLengthThatIsNotANumberIsRefused() {
        x.send("POST / HTTP/1.1\r\nContent-Length: +2\r\n\r\nhi");
        assertRefused("400 Bad Request");
    }

    @Test
    void transferCodingNotEndingInChunkedIsRefused() {
        x.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n");
        assertRefused("400 Bad Request");
    }

    @Test
    void unknownTransferCodingIsRefused() {
        x.send("POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n");
        assertRefused("400 Bad Request");
    }

    @Test
    void transferEncodingInHttp10IsRefused() {
        x.send("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertRefused("400 Bad Request");
    }

    @Test
    void badChunkSizeIsRefused() {
        x.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "zz\r\n");
        assertThat(x.toBackend()).startsWith("POST / ");
        assertThat(x.toClient()).isEqualTo(BAD_REQUEST);
    }

    @Test
    void headOverTheLimitGets431() {
        String big = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(ForwardedHeadersHandler.MAX_HEAD) + "\r\n\r\n";
        x.send(big.substring(0, 1000), big.substring(1000, 40_000), big.substring(40_000));
        assertRefused("431 Request Header Fields Too Large");
    }

    @Test
    void requestLineWithTwoSpacesIsRefused() {
        x.send("GET  / HTTP/1.1\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n");
        assertRefused("400 Bad Request");
    }

    @Test
    void strayCarriageReturnIsRefused() {
        x.send("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n");
        assertRefused("400 Bad Request");
    }

    @Test
    void lineThatOnlyLooksLikeARequestIsRefused() {
        x.send("EHLO example.org\r\nMAIL FROM:<a@b>\r\n\r\n");
        assertRefused("400 Bad Request");
    }

    @Test
    void refusalWaitsForTheResponsesToTheRequestsBeforeIt() {
        x.send("GET /a HTTP/1.1\r\n\r\nGET  /b HTTP/1.1\r\n\r\n");
        assertThat(x.toBackend()).startsWith("GET /a ");
        assertThat(x.toClient()).isEmpty();
        assertThat(x.answer(OK)).isEqualTo(OK);
        assertThat(x.toClient()).isEqualTo(BAD_REQUEST);
    }

    @Test
    void leadingEmptyLinesAreDroppedAndTheRequestRewritten() {
        x.send("\r\n\r", "\nGET / HTTP/1.1\r\n\r\n");
        assertThat(x.toBackend()).isEqualTo("GET / HTTP/1.1\r\n" + ADDED + "\r\n");
    }

    @Test
    void sshBannerPassesUnchanged() {
        x.send("SSH-2.0-x\r\n", "GET / HTTP/1.1\r\n\r\n");
        assertThat(x.toBackend()).isEqualTo("SSH-2.0-x\r\nGET / HTTP/1.1\r\n\r\n");
    }

    @Test
    void aBackendThatSpeaksFirstIsRelayedUnread() {
        assertThat(x.answer("SSH-2.0-server\r\n")).isEqualTo("SSH-2.0-server\r\n");
        x.send("SSH-2.0-client\r\n");
        assertThat(x.answer("\u0000\u0001binary")).isEqualTo("\u0000\u0001binary");
        assertThat(x.backend.isOpen()).isTrue();
        assertThat(x.toBackend()).isEqualTo("SSH-2.0-client\r\n");
    }

    @Test
    void aFewBytesThenTheEndOfInputPassUnchanged() {
        x.send("\r\nquit");
        x.client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(x.toBackend()).isEqualTo("\r\nquit");
    }

    @Test
    void aHeadCutShortByTheEndOfInputGoesNowhere() {
        x.send("GET / HTTP/1.1\r\nHost:");
        x.client.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(x.toBackend()).isEmpty();
    }
}
