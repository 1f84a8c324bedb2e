package dev.pen.netty.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The request rewriting on its own, fed reads split every way, without sockets. */
class ForwardedHeadersHandlerTest {
    private static final String XFP = "X-Forwarded-Proto: http\r\n";
    private static final String XFF = "X-Forwarded-For: 10.0.0.7\r\n";

    /** What the handler passed on, as text, and the first line of each buffer it passed on. */
    private record Output(String text, List<String> firstLines) {
    }

    private static Output feed(boolean tls, String... reads) {
        EmbeddedChannel ch = new EmbeddedChannel(new ForwardedHeadersHandler("10.0.0.7", tls, new LongAdder()));
        for (String r : reads) {
            ch.writeInbound(Unpooled.copiedBuffer(r, StandardCharsets.ISO_8859_1));
        }
        return drain(ch);
    }

    private static Output drain(EmbeddedChannel ch) {
        StringBuilder text = new StringBuilder();
        List<String> firstLines = new ArrayList<>();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            String s = b.toString(StandardCharsets.ISO_8859_1);
            b.release();
            text.append(s);
            firstLines.add(s.split("[\r\n]", 2)[0]);
        }
        ch.finishAndReleaseAll();
        return new Output(text.toString(), firstLines);
    }

    private static String feedText(String... reads) {
        return feed(false, reads).text();
    }

    @Test
    void getGetsForwardedProtoAndForwardedForBeforeTheBlankLine() {
        assertThat(feedText("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
                .isEqualTo("GET / HTTP/1.1\r\nHost: a\r\n" + XFP + XFF + "\r\n");
    }

    @Test
    void anyMethodIsRewritten() {
        assertThat(feedText("PROPFIND /x HTTP/1.0\r\n\r\n")).isEqualTo("PROPFIND /x HTTP/1.0\r\n" + XFP + XFF + "\r\n");
    }

    @Test
    void tlsConnectionsSayHttps() {
        assertThat(feed(true, "GET / HTTP/1.1\r\n\r\n").text()).contains("X-Forwarded-Proto: https\r\n");
    }

    @Test
    void existingForwardedForGetsTheClientAppended() {
        assertThat(feedText("GET / HTTP/1.1\r\nx-forwarded-for: 1.2.3.4 \r\nHost: a\r\n\r\n"))
                .isEqualTo("GET / HTTP/1.1\r\nx-forwarded-for: 1.2.3.4, 10.0.0.7\r\nHost: a\r\n" + XFP + "\r\n");
    }

    @Test
    void existingForwardedProtoIsReplaced() {
        assertThat(feedText("GET / HTTP/1.1\r\nX-Forwarded-PROTO: https\r\nHost: a\r\n\r\n"))
                .isEqualTo("GET / HTTP/1.1\r\nHost: a\r\n" + XFP + XFF + "\r\n");
    }

    @Test
    void bareLineFeedsAreAccepted() {
        assertThat(feedText("GET / HTTP/1.1\nHost: a\n\n")).isEqualTo("GET / HTTP/1.1\nHost: a\n" + XFP + XFF + "\n");
    }

    private static final String BODY = "GET /not-a-request HTTP/1.1";
    private static final String CHUNK = "\r\nGET / HTTP/1.1\r\n\r\n";
    private static final String CHUNKED_BODY = "5;ext=1\r\nGET /\r\n" + Integer.toHexString(CHUNK.length()) + "\r\n"
            + CHUNK + "\r\n0\r\nTrailer: x\r\n\r\n";
    private static final String PIPELINE = "POST /a HTTP/1.1\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY
            + "PUT /b HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + CHUNKED_BODY
            + "\r\nGET /c HTTP/1.1\r\nHost: c\r\n\r\n";
    private static final String PIPELINE_OUT = "POST /a HTTP/1.1\r\nContent-Length: " + BODY.length() + "\r\n" + XFP
            + XFF + "\r\n" + BODY
            + "PUT /b HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n" + XFP + XFF + "\r\n" + CHUNKED_BODY
            + "GET /c HTTP/1.1\r\nHost: c\r\n" + XFP + XFF + "\r\n";

    @Test
    void pipelinedRequestsWithBodiesEachGetTheHeadersAndBodiesPassUntouched() {
        assertThat(feedText(PIPELINE)).isEqualTo(PIPELINE_OUT);
    }

    @Test
    void everySplitIntoTwoReadsGivesTheSameBytes() {
        for (int k = 0; k <= PIPELINE.length(); k++) {
            assertThat(feedText(PIPELINE.substring(0, k), PIPELINE.substring(k))).as("split at %d", k)
                    .isEqualTo(PIPELINE_OUT);
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameBytes() {
        String[] reads = PIPELINE.split("");
        assertThat(feedText(reads)).isEqualTo(PIPELINE_OUT);
    }

    @Test
    void eachRequestStartsABufferOfItsOwnSoTheLogSeesItsRequestLine() {
        assertThat(feed(false, PIPELINE).firstLines())
                .containsSubsequence("POST /a HTTP/1.1", "PUT /b HTTP/1.1", "GET /c HTTP/1.1");
    }

    @Test
    void bytesThatAreNotHttpPassUnchangedAndSoDoesEverythingAfter() {
        String garbage = "\u0016\u0003\u0001binary\u0000\r\n\r\nGET / HTTP/1.1\r\n\r\n";
        assertThat(feedText(garbage)).isEqualTo(garbage);
    }

    @Test
    void unixSocketClientsGetNoForwardedFor() {
        EmbeddedChannel ch = new EmbeddedChannel(new ForwardedHeadersHandler(null, false, new LongAdder()));
        ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertThat(drain(ch).text()).isEqualTo("GET / HTTP/1.1\r\n" + XFP + "\r\n");
    }
}
