package dev.pen.netty.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.AccessList;
import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.ConnectionInfo;
import dev.pen.api.ConnectionLog;
import dev.pen.api.Network;
import dev.pen.api.ProxyProtocol;
import dev.pen.api.ProxySettings;
import dev.pen.api.TlsSettings;
import dev.pen.api.Transport;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.TestAccess;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.HeaderEchoBackend;
import dev.pen.netty.testing.Programs;
import dev.pen.netty.testing.RecordingBackend;
import dev.pen.netty.testing.Transports;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PROXY protocol on real sockets: headers sent to backends before any client byte, headers read from trusted
 * upstream balancers and what their client then decides, and the connections refused for a header.
 */
class ProxyProtocolTest {
    private static final String TRUSTED = "127.0.0.2";
    private static final String UNTRUSTED = "127.0.0.3";
    private final Closer resources = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    static List<Transport> transports() {
        return Transports.available();
    }

    private Balancer balancer(Transport transport, String backend, UnaryOperator<BalancerConfig.Builder> settings) {
        return resources.keep(NettyBalancer.start(settings.apply(BalancerConfig.builder().listen("127.0.0.1:0")
                .transport(transport).backend(backend)).build()));
    }

    private static int port(Balancer b) {
        return Clients.port(b.localAddress());
    }

    private static ProxySettings sending(ProxyProtocol version) {
        return ProxySettings.NONE.withSend(version);
    }

    private static ProxySettings trusting(String networks) {
        return ProxySettings.NONE.withAcceptFrom(Network.parseList(networks));
    }

    /** The header at the start of {@code bytes}, decoded by Netty's decoder; null when there is none. */
    private static HAProxyMessage header(byte[] bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new HAProxyMessageDecoder());
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
            return ch.readInbound();
        } catch (RuntimeException notAHeader) {
            return null;
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Whether the balancer closes {@code s} within 10 s (end of stream or reset), reading what comes before. */
    private static boolean closedByBalancer(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        try {
            while (in.read() >= 0) {
                // whatever a server sent first
            }
        } catch (java.net.SocketException reset) {
            // closed with bytes unread: a close too
        } catch (java.net.SocketTimeoutException open) {
            return false;
        }
        return true;
    }

    // ---- to backends ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("transports")
    void v1HeaderReachesAServerThatSpeaksFirstBeforeTheClientSendsAnything(Transport transport) throws IOException {
        RecordingBackend backend = resources.keep(new RecordingBackend());
        Balancer lb = balancer(transport, backend.spec(), b -> b.proxy(sending(ProxyProtocol.V1)));
        try (Socket s = Clients.connect(UNTRUSTED, port(lb))) {
            assertThat(Clients.readLine(s)).isEqualTo("ready");
            String expected = "PROXY TCP4 " + UNTRUSTED + " 127.0.0.1 " + s.getLocalPort() + " " + port(lb) + "\r\n";
            Await.until("the header at the backend", () -> text(backend.received(0)).equals(expected));
            send(s, "USER me\r\n");
            Await.until("the client's bytes after the header",
                    () -> text(backend.received(0)).equals(expected + "USER me\r\n"));
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void v2HeaderNamesTheClientAndTheAddressItReached(Transport transport) throws IOException {
        RecordingBackend backend = resources.keep(new RecordingBackend());
        Balancer lb = balancer(transport, backend.spec(), b -> b.proxy(sending(ProxyProtocol.V2)));
        try (Socket s = Clients.connect(UNTRUSTED, port(lb))) {
            send(s, "hello");
            Await.until("the header and the client's bytes", () -> text(backend.received(0)).endsWith("hello"));
            HAProxyMessage h = header(backend.received(0));
            try {
                assertThat(h.protocolVersion()).isEqualTo(HAProxyProtocolVersion.V2);
                assertThat(h.sourceAddress()).isEqualTo(UNTRUSTED);
                assertThat(h.sourcePort()).isEqualTo(s.getLocalPort());
                assertThat(h.destinationAddress()).isEqualTo("127.0.0.1");
                assertThat(h.destinationPort()).isEqualTo(port(lb));
            } finally {
                h.release();
            }
        }
    }

    @Test
    void aServersOwnSettingWinsOverTheBalancers() throws IOException {
        RecordingBackend backend = resources.keep(new RecordingBackend());
        Balancer lb = balancer(Transport.NIO, backend.spec(), b -> b.proxy(sending(ProxyProtocol.V1)));
        lb.setBackend(0, lb.config().backends().get(0).withProxyProtocol(ProxyProtocol.OFF));
        try (Socket s = Clients.connect(UNTRUSTED, port(lb))) {
            send(s, "plain");
            Await.until("the client's bytes", () -> backend.accepted() == 1 && backend.received(0).length == 5);
            assertThat(text(backend.received(0))).isEqualTo("plain");
        }
    }

    // ---- from upstream balancers ------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("transports")
    void aTrustedHeadersClientIsTheClientOfTheHeaderSentOn(Transport transport) throws IOException {
        RecordingBackend backend = resources.keep(new RecordingBackend());
        List<String> seen = new CopyOnWriteArrayList<>();
        ConnectionLog log = new ConnectionLog() {
            @Override
            public void accepted(ConnectionInfo connection) {
                seen.add(connection.clientAddress().toString());
            }
        };
        Balancer lb = balancer(transport, backend.spec(), b -> b.connectionLog(log)
                .proxy(new ProxySettings(ProxyProtocol.V2, Network.parseList(TRUSTED + "/32,::1"))));
        try (Socket s = Clients.connect(TRUSTED, port(lb))) {
            send(s, "PROXY TCP4 203.0.113.7 198.51.100.1 40000 443\r\nhello");
            assertThat(Clients.readLine(s)).isEqualTo("ready");
            Await.until("the client's bytes", () -> backend.accepted() == 1
                    && text(backend.received(0)).endsWith("hello"));
            HAProxyMessage h = header(backend.received(0));
            try {
                assertThat(h.sourceAddress()).isEqualTo("203.0.113.7");
                assertThat(h.sourcePort()).isEqualTo(40000);
                assertThat(h.destinationAddress()).isEqualTo("198.51.100.1");
                assertThat(h.destinationPort()).isEqualTo(443);
            } finally {
                h.release();
            }
        }
        assertThat(seen).containsExactly("/203.0.113.7:40000");
        assertThat(lb.clients()).anySatisfy(c -> assertThat(c.address().getHostAddress()).isEqualTo("203.0.113.7"));
        assertThat(lb.proxyHeadersRefused()).isZero();
    }

    @Test
    void theClientAclJudgesTheClientATrustedHeaderNames() throws IOException {
        RecordingBackend backend = resources.keep(new RecordingBackend());
        AccessList denyOne = AccessList.empty().with(AccessList.Entry.parse("deny", "203.0.113.7", null));
        Balancer lb = balancer(Transport.NIO, backend.spec(), b -> b.proxy(trusting(TRUSTED))
                .accessList(1, denyOne).clientAcl(1));
        try (Socket denied = Clients.connect(TRUSTED, port(lb))) {
            send(denied, "PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\n");
            assertThat(closedByBalancer(denied)).isTrue();
        }
        try (Socket permitted = Clients.connect(TRUSTED, port(lb))) {
            send(permitted, "PROXY TCP4 203.0.113.8 127.0.0.1 40000 80\r\n");
            assertThat(Clients.readLine(permitted)).isEqualTo("ready");
        }
        assertThat(backend.accepted()).isEqualTo(1);
        assertThat(lb.proxyHeadersRefused()).isZero();
    }

    @Test
    void httpModeForwardsForTheClientATrustedHeaderNames() throws IOException {
        HeaderEchoBackend backend = resources.keep(new HeaderEchoBackend());
        Balancer lb = balancer(Transport.NIO, backend.spec(), b -> b.http(true).proxy(trusting(TRUSTED)));
        try (Socket s = Clients.connect(TRUSTED, port(lb))) {
            send(s, "PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\nGET / HTTP/1.0\r\nHost: x\r\n\r\n");
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            StringBuilder answer = new StringBuilder();
            for (String line; (line = in.readLine()) != null && !line.startsWith("body-crc"); ) {
                answer.append(line).append('\n');
            }
            assertThat(answer.toString()).contains("X-Forwarded-For: 203.0.113.7\n").doesNotContain(TRUSTED);
        }
    }

    @Test
    void aTrustedHeaderComesBeforeTheTlsHandshake(@TempDir Path certs) throws Exception {
        Programs.require("openssl");
        Path cert = certs.resolve("server.pem");
        Path key = certs.resolve("server.key");
        Programs.check(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost"));
        RecordingBackend backend = resources.keep(new RecordingBackend());
        Balancer lb = balancer(Transport.NIO, backend.spec(), b -> b.tls(TlsSettings.of(cert).withKey(key))
                .proxy(new ProxySettings(ProxyProtocol.V1, Network.parseList(TRUSTED))));
        try (Socket plain = Clients.connect(TRUSTED, port(lb))) {
            send(plain, "PROXY TCP4 203.0.113.7 127.0.0.1 40000 443\r\n");
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port(lb),
                    true)) {
                tls.startHandshake();
                assertThat(Clients.readLine(tls)).isEqualTo("ready");
                send(tls, "hello");
                String expected = "PROXY TCP4 203.0.113.7 127.0.0.1 40000 443\r\nhello";
                Await.until("the header and the decrypted bytes", () -> text(backend.received(0)).equals(expected));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("transports")
    void aHeaderFromAnUntrustedAddressIsRefusedAndCounted(Transport transport) throws IOException {
        RecordingBackend backend = resources.keep(new RecordingBackend());
        Balancer lb = balancer(transport, backend.spec(), b -> b.proxy(trusting(TRUSTED)));
        for (String header : List.of("PROXY TCP4 203.0.113.7 127.0.0.1 40000 80\r\n",
                "\r\n\r\n\0\r\nQUIT\n\u0021\u0011\0\u000c")) {
            try (Socket s = Clients.connect(UNTRUSTED, port(lb))) {
                // In two parts: the signature is recognised across reads.
                send(s, header.substring(0, 3));
                send(s, header.substring(3) + "more");
                assertThat(closedByBalancer(s)).isTrue();
            }
        }
        Await.until("two refusals counted", () -> lb.proxyHeadersRefused() == 2);
        // A server that speaks first is connected at once, but gets none of the refused bytes.
        for (int i = 0; i < backend.accepted(); i++) {
            assertThat(backend.received(i)).isEmpty();
        }
        // Anything else from the same address is relayed as before.
        try (Socket s = Clients.connect(UNTRUSTED, port(lb))) {
            send(s, "PROXIMA");
            Await.until("the bytes at the backend", () -> java.util.stream.IntStream.range(0, backend.accepted())
                    .anyMatch(i -> Arrays.equals(backend.received(i), "PROXIMA".getBytes())));
        }
        assertThat(lb.proxyHeadersRefused()).isEqualTo(2);
    }

    @Test
    void aMalformedOrMissingHeaderFromATrustedAddressIsRefusedBeforeAnyServer() throws IOException {
        RecordingBackend backend = resources.keep(new RecordingBackend());
        Balancer lb = balancer(Transport.NIO, backend.spec(), b -> b.proxy(trusting(TRUSTED)));
        List<String> bad = List.of("PROXY TCP4 999.0.0.1 127.0.0.1 40000 80\r\n", "GET / HTTP/1.0\r\nHost: x\r\n\r\n",
                "PROXY TCP4 " + "1".repeat(120) + "\r\n");
        for (String text : bad) {
            try (Socket s = Clients.connect(TRUSTED, port(lb))) {
                send(s, text);
                assertThat(closedByBalancer(s)).as(text).isTrue();
            }
        }
        Await.until("every refusal counted", () -> lb.proxyHeadersRefused() == bad.size());
        Await.until("every connection ended", () -> lb.activeConnections() == 0);
        assertThat(backend.accepted()).isZero();
    }

    @Test
    void aTrustedHeaderMustArriveWithinTheFirstByteTimeout() throws IOException {
        RecordingBackend backend = resources.keep(new RecordingBackend());
        Balancer lb = balancer(Transport.NIO, backend.spec(), b -> b.proxy(trusting(TRUSTED))
                .firstByteTimeout(Duration.ofMillis(300)));
        try (Socket s = Clients.connect(TRUSTED, port(lb))) {
            send(s, "PROXY TCP4 203.0.");
            long start = System.nanoTime();
            assertThat(closedByBalancer(s)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
        Await.until("the refusal counted", () -> lb.proxyHeadersRefused() == 1);
        Await.until("the connection ended", () -> TestAccess.context(lb).connections().isEmpty()
                && lb.activeConnections() == 0);
        assertThat(backend.accepted()).isZero();
    }
}
