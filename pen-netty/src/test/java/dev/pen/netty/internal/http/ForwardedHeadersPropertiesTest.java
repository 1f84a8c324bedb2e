package dev.pen.netty.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.netty.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever a client sends in http mode, every request that a strict RFC 9112 parser at the backend reads from what
 * the handler passes on carries the client's address as the rightmost {@code X-Forwarded-For} entry and exactly
 * one {@code X-Forwarded-Proto: http}; on an HTTP connection what is passed on is always well formed (at most cut
 * short), and no buffer leaks. Streams are built from request pieces, good and broken, split into reads anywhere.
 */
class ForwardedHeadersPropertiesTest {
    private static final String CLIENT = HttpExchange.CLIENT;

    /** Mostly {@code good} pieces, one in {@code 1 + goodWeight} broken, so that streams go deep. */
    private static Arbitrary<String> pieces(int goodWeight, List<String> good, List<String> broken) {
        return Arbitraries.frequencyOf(Tuple.of(goodWeight, Arbitraries.of(good)),
                Tuple.of(1, Arbitraries.of(broken)));
    }

    @Provide
    Arbitrary<List<String>> streams() {
        Arbitrary<String> eol = pieces(40, List.of("\r\n", "\n"), List.of("\r", "\r\r\n", "\n\r"));
        Arbitrary<String> requestLine = pieces(12, List.of("GET / HTTP/1.1", "POST /p HTTP/1.1", "HEAD /h HTTP/1.1",
                "PUT /u HTTP/1.0", "OPTIONS * HTTP/1.1"), List.of("GET  / HTTP/1.1", "GET / HTTP/1.1 ",
                "GET\t/ HTTP/1.1", "GET / HTTP/2.0", "GET /", "G@T / HTTP/1.1", "GET /\u0000 HTTP/1.1",
                "GET / http/1.1"));
        Arbitrary<String> header = pieces(16, List.of("Host: a", "X-Forwarded-For: 192.0.2.66", "x-forwarded-for:",
                "X-Forwarded-For: 192.0.2.1, 192.0.2.66 ", "X-Forwarded-Proto: https", "Transfer-Encoding: chunked",
                "Transfer-Encoding: gzip, chunked", "Content-Length: 0", "Content-Length: 5", "Content-Length: 12",
                "Content-Length:  5 ", "Upgrade: websocket", "Connection: upgrade", "Expect: 100-continue"),
                List.of(" 192.0.2.66", "\t192.0.2.66", "X-Forwarded-For : 192.0.2.66", "Transfer-Encoding : chunked",
                "Transfer-Encoding: gzip", "Transfer-Encoding: chunked, gzip", "Transfer-Encoding: xchunked",
                "Content-Length: 5, 5", "Content-Length: -1", "Content-Length: 1x", "X@Y: z", ": empty",
                "X-A: a\u0001b", "X-\u00e9: v"));
        Arbitrary<String> body = pieces(8, List.of("", "hello", "0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n",
                "5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n", "\r\n",
                "GET /smuggled HTTP/1.1\r\nX-Forwarded-For: 192.0.2.66\r\n\r\n"),
                List.of("zz\r\n", "3\r\nabcdef\r\n0\r\n\r\n", "fffffffffffffffffff\r\n", "0\r\n 192.0.2.66\r\n\r\n"));
        Arbitrary<String> lead = pieces(8, List.of("", "\r\n"), List.of("SSH-2.0-x\r\n", "\u0016\u0003", "\r"));
        Arbitrary<String> headers = Combinators.combine(header, eol).as(String::concat).list().ofMaxSize(4)
                .map(list -> String.join("", list));
        Arbitrary<String> request = Combinators.combine(lead, requestLine, eol, headers, eol, body)
                .as((l, line, e1, h, e2, b) -> l + line + e1 + h + e2 + b);
        Arbitrary<String> stream = request.list().ofMinSize(1).ofMaxSize(4).map(list -> String.join("", list));
        Arbitrary<List<Integer>> cuts = Arbitraries.integers().between(1, 48).list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(stream, cuts).as(ForwardedHeadersPropertiesTest::split);
    }

    private static List<String> split(String text, List<Integer> sizes) {
        List<String> reads = new ArrayList<>();
        for (int at = 0, k = 0; at < text.length(); k++) {
            int n = Math.min(text.length() - at, sizes.get(k % sizes.size()));
            reads.add(text.substring(at, at + n));
            at += n;
        }
        return reads;
    }

    @Property(tries = 1000, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void everyRequestTheBackendReadsCarriesTheClientLastOrTheConnectionWasRefused(
            @ForAll("streams") List<String> reads, @ForAll boolean switchUpgrades) {
        List<ByteBuf> inputs = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        Parse parse;
        try (HttpExchange x = new HttpExchange()) {
            int answered = 0;
            for (String read : reads) {
                if (!x.client.isOpen()) {
                    break; // refused: nothing more is read
                }
                ByteBuf in = HttpExchange.bytes(read);
                inputs.add(in.retain());
                x.client.writeInbound(in);
                // Answer every request the backend has read, which may release what the handler held.
                for (; ; ) {
                    out.append(x.toBackend());
                    parse = Parse.of(out.toString(), switchUpgrades);
                    if (parse.requests.size() == answered) {
                        break;
                    }
                    for (; answered < parse.requests.size(); answered++) {
                        Request r = parse.requests.get(answered);
                        boolean switching = switchUpgrades && r.has("upgrade");
                        String answer = switching ? "HTTP/1.1 101 Switching Protocols\r\n\r\n"
                                : r.method.equals("HEAD") ? "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
                        assertThat(x.answer(answer)).isEqualTo(answer);
                    }
                }
            }
            out.append(x.toBackend());
            parse = Parse.of(out.toString(), switchUpgrades);
            Statistics.collect(Math.min(parse.requests.size(), 2), x.handler.isHttp(), x.rejected.sum());
            for (Request r : parse.requests) {
                List<String> forwardedFor = r.values("x-forwarded-for");
                assertThat(forwardedFor).as("X-Forwarded-For of %s in %s", r.line, out).isNotEmpty();
                String[] entries = String.join(",", forwardedFor).split(",", -1);
                assertThat(entries[entries.length - 1].trim()).as("rightmost entry in %s", out).isEqualTo(CLIENT);
                assertThat(r.values("x-forwarded-proto")).as("X-Forwarded-Proto in %s", out).containsExactly("http");
            }
            if (x.handler.isHttp()) {
                assertThat(parse.error).as("what an HTTP connection passes on: %s", out).isNull();
            }
        }
        for (ByteBuf in : inputs) {
            assertThat(in.refCnt()).as("input released by the handler").isEqualTo(1);
            in.release();
        }
    }

    @AfterContainer
    static void noBufferLeaked() {
        assertThat(LeakCheck.collect()).isEmpty();
    }

    /** One request as a strict backend read it. */
    private record Request(String method, String line, List<String[]> fields) {
        List<String> values(String lowerName) {
            List<String> values = new ArrayList<>();
            for (String[] f : fields) {
                if (f[0].toLowerCase(Locale.ROOT).equals(lowerName)) {
                    values.add(f[1]);
                }
            }
            return values;
        }

        boolean has(String lowerName) {
            return !values(lowerName).isEmpty();
        }
    }

    /**
     * A strict RFC 9112 request parser, as a careful backend would be: the requests read completely, and the first
     * error (null when the text is well formed, though maybe cut short). After a request with {@code Upgrade} that
     * is answered with a switch, the rest is another protocol and is not read.
     */
    private static final class Parse {
        private static final Pattern REQUEST_LINE =
                Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+) [\\x21-\\x7e\\x80-\\xff]+ HTTP/1\\.([0-9])");
        private static final Pattern FIELD =
                Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \\t]*([\\x20-\\x7e\\x80-\\xff\\t]*?)[ \\t]*");
        private static final Pattern CHUNK_SIZE = Pattern.compile("([0-9a-fA-F]{1,15})[ \\t]*(;[^\\r\\n]*)?");

        final List<Request> requests = new ArrayList<>();
        String error;
        private final String text;
        private int pos;

        private Parse(String text) {
            this.text = text;
        }

        static Parse of(String text, boolean switchUpgrades) {
            Parse p = new Parse(text);
            try {
                while (p.pos < text.length()) {
                    Request r = p.request();
                    if (r == null) {
                        break; // cut short
                    }
                    p.requests.add(r);
                    if (switchUpgrades && r.has("upgrade")) {
                        break;
                    }
                }
            } catch (IllegalStateException e) {
                p.error = e.getMessage();
            }
            return p;
        }

        /** The next line without its end (CRLF or LF), or null when it is not complete yet. */
        private String line() {
            int lf = text.indexOf('\n', pos);
            if (lf < 0) {
                return null;
            }
            String line = text.substring(pos, lf > pos && text.charAt(lf - 1) == '\r' ? lf - 1 : lf);
            if (line.indexOf('\r') >= 0) {
                throw new IllegalStateException("bare CR at " + pos);
            }
            pos = lf + 1;
            return line;
        }

        private Request request() {
            String line;
            do {
                line = line();
            } while (line != null && line.isEmpty());
            if (line == null) {
                return null;
            }
            Matcher m = REQUEST_LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("request line " + line);
            }
            boolean http10 = m.group(2).equals("0");
            List<String[]> fields = new ArrayList<>();
            for (String field; !(field = line()).isEmpty(); ) {
                Matcher f = FIELD.matcher(field);
                if (!f.matches()) {
                    throw new IllegalStateException("field line " + field);
                }
                fields.add(new String[] {f.group(1), f.group(2)});
            }
            Request r = new Request(m.group(1), line, fields);
            return body(r, http10) ? r : null;
        }

        /** Reads the body; false when it is cut short. */
        private boolean body(Request r, boolean http10) {
            List<String> codings = r.values("transfer-encoding");
            List<String> lengths = r.values("content-length");
            if (!codings.isEmpty()) {
                String[] list = String.join(",", codings).split(",", -1);
                if (http10 || !lengths.isEmpty() || !list[list.length - 1].trim().equalsIgnoreCase("chunked")) {
                    throw new IllegalStateException("transfer coding " + codings + " with lengths " + lengths);
                }
                return chunked();
            }
            if (lengths.isEmpty()) {
                return true;
            }
            if (!lengths.stream().allMatch(v -> v.equals(lengths.get(0)) && v.matches("[0-9]{1,18}"))) {
                throw new IllegalStateException("lengths " + lengths);
            }
            long n = Long.parseLong(lengths.get(0));
            if (text.length() - pos < n) {
                pos = text.length();
                return false;
            }
            pos += (int) n;
            return true;
        }

        private boolean chunked() {
            for (; ; ) {
                String size = line();
                if (size == null) {
                    return false;
                }
                Matcher m = CHUNK_SIZE.matcher(size);
                if (!m.matches()) {
                    throw new IllegalStateException("chunk size " + size);
                }
                long n = Long.parseLong(m.group(1), 16);
                if (n == 0) {
                    for (String trailer; ; ) {
                        trailer = line();
                        if (trailer == null) {
                            return false;
                        }
                        if (trailer.isEmpty()) {
                            return true;
                        }
                        if (!FIELD.matcher(trailer).matches() && !trailer.matches("[^ \\t].*")) {
                            throw new IllegalStateException("trailer " + trailer);
                        }
                    }
                }
                if (text.length() - pos < n + 1) {
                    return false;
                }
                pos += (int) n;
                String end = line();
                if (end == null) {
                    return false;
                }
                if (!end.isEmpty()) {
                    throw new IllegalStateException("chunk end " + end);
                }
            }
        }
    }
}
