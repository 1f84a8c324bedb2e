package dev.pen.netty.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import dev.pen.api.PenLogLine;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.TestAccess;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.HeaderEchoBackend;
import dev.pen.netty.testing.HttpClient;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Nginx;
import dev.pen.netty.testing.Programs;
import dev.pen.netty.testing.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** http mode (-H) through a real balancer to a backend that echoes the request heads it gets. */
class HttpModeTest {
    private static final String XFF = "X-Forwarded-For: 127.0.0.1\n";
    private static final String XFP = "X-Forwarded-Proto: http\n";
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    private Balancer balancer(Transport transport, boolean http, String backend, ConnectionLog... logs) {
        BalancerConfig.Builder b = BalancerConfig.builder().listen("127.0.0.1:0").transport(transport).http(http)
                .backend(backend);
        for (ConnectionLog log : logs) {
            b.connectionLog(log);
        }
        return keep(NettyBalancer.start(b.build()));
    }

    private Socket client(Balancer lb) {
        return keep(Clients.connect("127.0.0.1", Clients.port(lb.localAddress())));
    }

    private static void send(Socket s, String text) throws Exception {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    @ParameterizedTest
    @MethodSource("transports")
    void firstAndFifthRequestOfAKeepAliveConnectionCarryBothHeaders(Transport transport) throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Socket s = client(balancer(transport, true, backend.spec()));
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            send(s, get("/" + i));
            bodies.add(HttpClient.readBody(s.getInputStream()));
        }
        assertThat(bodies.get(0)).startsWith("GET /1 HTTP/1.1\n").contains(XFF, XFP);
        assertThat(bodies.get(4)).startsWith("GET /5 HTTP/1.1\n").contains(XFF, XFP);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void everyPipelinedRequestCarriesBothHeaders(Transport transport) throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Socket s = client(balancer(transport, true, backend.spec()));
        send(s, get("/a") + "POST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + get("/c"));
        InputStream in = s.getInputStream();
        assertThat(HttpClient.readBody(in)).startsWith("GET /a ").contains(XFF, XFP);
        assertThat(HttpClient.readBody(in)).startsWith("POST /b ").contains(XFF, XFP, "body-length: 5\n");
        assertThat(HttpClient.readBody(in)).startsWith("GET /c ").contains(XFF, XFP);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void requestWhoseHeadArrivesOneByteAtATimeCarriesBothHeaders(Transport transport) throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Socket s = client(balancer(transport, true, backend.spec()));
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        for (byte b : get("/slow").getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
            out.flush();
        }
        assertThat(HttpClient.readBody(s.getInputStream())).startsWith("GET /slow ").contains(XFF, XFP);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void fiftyMebibyteChunkedUploadArrivesIntact(Transport transport) throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Socket s = client(balancer(transport, true, backend.spec()));
        s.setSoTimeout(60_000);
        OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        out.write("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Random random = new Random(4);
        CRC32 crc = new CRC32();
        long total = 50L * 1024 * 1024;
        byte[] chunk = new byte[70_000];
        for (long sent = 0; sent < total; ) {
            int n = (int) Math.min(total - sent, 1 + random.nextInt(chunk.length));
            random.nextBytes(chunk);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(chunk, 0, n);
            out.write('\r');
            out.write('\n');
            crc.update(chunk, 0, n);
            sent += n;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String body = HttpClient.readBody(s.getInputStream());
        assertThat(body).contains("body-length: " + total + "\n", "body-crc: " + Long.toHexString(crc.getValue()));
        send(s, get("/after"));
        assertThat(HttpClient.readBody(s.getInputStream())).startsWith("GET /after ").contains(XFF);
    }

    @Test
    void existingForwardedForGetsTheClientAppended() throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Socket s = client(balancer(Transport.AUTO, true, backend.spec()));
        send(s, "GET / HTTP/1.1\r\nHost: test\r\nX-Forwarded-For: 192.0.2.1\r\n\r\n");
        assertThat(HttpClient.readBody(s.getInputStream())).contains("X-Forwarded-For: 192.0.2.1, 127.0.0.1\n");
    }

    @Test
    void existingForwardedProtoIsReplaced() throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Socket s = client(balancer(Transport.AUTO, true, backend.spec()));
        send(s, "GET / HTTP/1.1\r\nHost: test\r\nX-Forwarded-Proto: https\r\n\r\n");
        String body = HttpClient.readBody(s.getInputStream());
        assertThat(body).contains(XFP).doesNotContain("X-Forwarded-Proto: https");
    }

    @ParameterizedTest
    @MethodSource("transports")
    void bytesThatAreNotHttpAreRelayedUnchanged(Transport transport) throws Exception {
        NamedBackend echo = keep(new NamedBackend("echo"));
        Socket s = client(balancer(transport, true, echo.spec()));
        byte[] garbage = new byte[100_000];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x16; // as a TLS client would start
        InputStream in = s.getInputStream();
        assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("echo\n");
        s.getOutputStream().write(garbage);
        assertThat(in.readNBytes(garbage.length)).isEqualTo(garbage);
    }

    @Test
    void eachRequestLineReachesTheConnectionLog() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ConnectionLog log = new ConnectionLog() {
            @Override
            public boolean wantsClientData() {
                return true;
            }

            @Override
            public void clientData(ConnectionInfo connection, byte[] firstLine) {
                lines.add(PenLogLine.text(firstLine));
            }
        };
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Socket s = client(balancer(Transport.AUTO, true, backend.spec(), log));
        send(s, get("/one") + get("/two") + get("/three"));
        for (int i = 0; i < 3; i++) {
            HttpClient.readBody(s.getInputStream());
        }
        assertThat(lines).containsExactly("GET /one HTTP/1.1", "GET /two HTTP/1.1", "GET /three HTTP/1.1");
    }

    @Test
    void turningHttpModeOnAppliesToConnectionsAcceptedAfterwards() throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(Transport.AUTO, false, backend.spec());
        Socket before = client(lb);
        send(before, get("/"));
        assertThat(HttpClient.readBody(before.getInputStream())).doesNotContain("X-Forwarded-For");
        lb.update(c -> c.toBuilder().http(true).build());
        assertThat(lb.config().http()).isTrue();
        send(before, get("/"));
        assertThat(HttpClient.readBody(before.getInputStream())).as("open connection keeps its mode")
                .doesNotContain("X-Forwarded-For");
        Socket after = client(lb);
        send(after, get("/"));
        assertThat(HttpClient.readBody(after.getInputStream())).contains(XFF, XFP);
    }

    @Test
    void curlRequestsOnOneKeepAliveConnectionBothCarryTheHeaders() {
        Programs.require("curl");
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(Transport.AUTO, true, backend.spec());
        String url = "http://127.0.0.1:" + Clients.port(lb.localAddress());
        String out = Programs.check(List.of("curl", "-sS", "--http1.1", url + "/first", url + "/second"));
        assertThat(out).contains("GET /first HTTP/1.1\n", "GET /second HTTP/1.1\n");
        assertThat(out.split(XFF, -1)).hasSize(3);
        assertThat(out.split(XFP, -1)).hasSize(3);
        Await.until("connection closed", () -> lb.activeConnections() == 0);
        assertThat(lb.backends().get(0).totalConnections()).as("one connection for both").isEqualTo(1);
    }
    @Test
    void upgradeAnsweredWithoutASwitchLeavesTheNextRequestParsedWithTheClientAddressLast() throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Socket s = client(balancer(Transport.AUTO, true, backend.spec()));
        send(s, "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: test\r\nX-Forwarded-For: 192.0.2.66\r\n\r\n");
        assertThat(HttpClient.readBody(s.getInputStream())).startsWith("GET /ws ");
        assertThat(HttpClient.readBody(s.getInputStream())).startsWith("GET /next ")
                .contains("X-Forwarded-For: 192.0.2.66, 127.0.0.1\n");
    }

    @Test
    void upgradeAnsweredWithASwitchRelaysBothWaysUnchanged() throws Exception {
        SwitchingBackend backend = keep(new SwitchingBackend());
        Socket s = client(balancer(Transport.AUTO, true, "127.0.0.1:" + backend.server.getLocalPort()));
        send(s, "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\n\r\n");
        InputStream in = s.getInputStream();
        String switched = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n";
        assertThat(new String(in.readNBytes(switched.length()), StandardCharsets.ISO_8859_1)).isEqualTo(switched);
        String frames = "GET / HTTP/1.1\r\nX-Forwarded-For: 192.0.2.66\r\n\r\n\u0000\u00ff";
        send(s, frames);
        assertThat(new String(in.readNBytes(frames.length()), StandardCharsets.ISO_8859_1)).isEqualTo(frames);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void badRequestGets400AndIsCounted(Transport transport) throws Exception {
        HeaderEchoBackend backend = keep(new HeaderEchoBackend());
        Balancer lb = balancer(transport, true, backend.spec());
        Socket s = client(lb);
        send(s, "GET  / HTTP/1.1\r\nHost: test\r\n\r\n");
        assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                .isEqualTo("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(TestAccess.context(lb).httpRejected()).isEqualTo(1);
        assertThat(backend.requests()).isZero();
    }

    @Test
    void nginxLogsEveryForgingAttemptWithTheClientLastOrNotAtAll(@TempDir Path dir) throws Exception {
        Nginx nginx = keep(Nginx.start(dir, "web", "127.0.0.2"));
        Balancer lb = balancer(Transport.AUTO, true, nginx.address());
        String forged = "GET /forged HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 192.0.2.66\r\n\r\n";
        List<String> attempts = List.of(
                "GET /upgrade HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
                "GET  /two-spaces HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET /big HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n",
                "POST /gzip HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
                "POST /bad-length HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n",
                "GET /fold HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 192.0.2.1\r\nX-A: b\r\n 192.0.2.66\r\n\r\n",
                "POST /space HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
                "POST /both HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        for (String attempt : attempts) {
            Socket s = client(lb);
            s.setSoTimeout(10_000);
            send(s, attempt + forged + "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            s.getInputStream().readAllBytes();
        }
        Socket s = client(lb);
        send(s, "GET /sentinel HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        s.getInputStream().readAllBytes();
        Await.until("nginx logs the sentinel", () -> String.join("\n", nginx.forwardedLines()).contains("/sentinel"));
        List<String> lines = nginx.forwardedLines();
        assertThat(lines).as(nginx.diagnostics()).allSatisfy(line -> assertThat(line).matches(".* \"([^\"]*, )?127\\.0\\.0\\.1\""));
        assertThat(String.join("\n", lines)).contains("/forged", "/both", "/upgrade");
    }

    /** A backend that answers the first request head with 101 Switching Protocols, then echoes what it reads. */
    private static final class SwitchingBackend implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread thread = new Thread(this::serve, "switching-backend");

        SwitchingBackend() throws IOException {
            thread.start();
        }

        private void serve() {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                int matched = 0;
                while (matched < 4) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                }
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                in.transferTo(out);
            } catch (IOException e) {
                // closed by the test
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5_000);
        }
    }
}
