package dev.pen.netty.internal.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Balancer;
import dev.pen.api.BalancerConfig;
import dev.pen.api.Limits;
import dev.pen.api.TlsSettings;
import dev.pen.netty.NettyBalancer;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.Closer;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Programs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slow clients in every slot of -x (clients that never read, half-open ones, TLS clients that never send their
 * ClientHello): with the time limits set, a fresh client is served within about the limit. The figures are logged
 * and recorded in docs/RELIABILITY.md.
 */
class SlowClientsTest {
    private static final Logger LOG = LoggerFactory.getLogger(SlowClientsTest.class);
    private static final int SLOTS = 20;
    private static final Duration LIMIT = Duration.ofSeconds(1);
    private final Closer resources = new Closer();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        resources.close();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }

    /**
     * A server with a thread per connection: greets with {@code held}, then on the first byte it reads sends 8 MiB
     * (blocking while the client does not read), and never closes a connection itself, even after the client's
     * end of input.
     */
    private static final class FloodingServer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        FloodingServer() throws IOException {
            server = new ServerSocket(0, 100, InetAddress.getByName("127.0.0.1"));
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.add(s);
                        Thread t = new Thread(() -> serve(s), "flooding-connection");
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "flooding-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void serve(Socket s) {
            try {
                OutputStream out = s.getOutputStream();
                out.write("held\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                if (in.read() >= 0) {
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < 128; i++) {
                        out.write(chunk);
                    }
                }
                while (in.read() >= 0) {
                    // holds the connection after the client's end of input
                }
            } catch (IOException e) {
                // the balancer closed it
            }
        }

        String spec() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private Balancer fullBalancer(String backend, UnaryOperator<BalancerConfig.Builder> settings) {
        return keep(NettyBalancer.start(settings.apply(BalancerConfig.builder().listen("127.0.0.1:0")
                .limits(Limits.DEFAULT.withMaxConnections(SLOTS)).backend(backend)).build()));
    }

    /** Milliseconds until a fresh plain client (another address) reads the server's greeting. */
    private static long millisToServe(Balancer lb, String greeting) {
        long start = System.nanoTime();
        try (Socket fresh = Clients.connect("127.0.0.3", Clients.port(lb.localAddress()))) {
            fresh.setSoTimeout(20_000);
            assertThat(Clients.readLine(fresh)).isEqualTo(greeting);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void clientsThatNeverReadInEverySlotGiveWayAfterTheIdleTimeout() throws Exception {
        FloodingServer server = keep(new FloodingServer());
        Balancer lb = fullBalancer(server.spec(), b -> b.idleTimeout(LIMIT));
        for (int i = 0; i < SLOTS; i++) {
            Socket s = keep(Clients.connect("127.0.0.2", Clients.port(lb.localAddress())));
            s.setReceiveBufferSize(4096);
            s.getOutputStream().write('x'); // asks for 8 MiB, and never reads a byte of it
        }
        Await.until("every slot taken", () -> lb.activeConnections() == SLOTS);
        long ms = millisToServe(lb, "held");
        LOG.info("{} clients that never read, idle timeout {} ms: a fresh client served after {} ms", SLOTS,
                LIMIT.toMillis(), ms);
        assertThat(ms).isLessThan(5_000L);
    }

    @Test
    void halfOpenClientsInEverySlotGiveWayAfterTheIdleTimeout() throws Exception {
        FloodingServer server = keep(new FloodingServer());
        Balancer lb = fullBalancer(server.spec(), b -> b.idleTimeout(LIMIT));
        for (int i = 0; i < SLOTS; i++) {
            Socket s = keep(Clients.connect("127.0.0.2", Clients.port(lb.localAddress())));
            s.shutdownOutput(); // and then nothing more, no read either; the server keeps its side open
        }
        Await.until("every slot taken", () -> lb.activeConnections() == SLOTS);
        long ms = millisToServe(lb, "held");
        LOG.info("{} half-open clients, idle timeout {} ms: a fresh client served after {} ms", SLOTS,
                LIMIT.toMillis(), ms);
        assertThat(ms).isLessThan(5_000L);
    }

    @Test
    void tlsClientsThatNeverSendAClientHelloInEverySlotGiveWayAfterTheHandshakeTimeout() throws Exception {
        Programs.require("openssl");
        Programs.check(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", dir.resolve("server.key").toString(), "-out",
                dir.resolve("server.pem").toString(), "-days", "2", "-subj", "/CN=localhost"));
        NamedBackend echo = keep(new NamedBackend("echo"));
        Balancer lb = fullBalancer(echo.spec(), b -> b.handshakeTimeout(LIMIT)
                .tls(TlsSettings.of(dir.resolve("server.pem")).withKey(dir.resolve("server.key"))));
        for (int i = 0; i < SLOTS; i++) {
            keep(Clients.connect("127.0.0.2", Clients.port(lb.localAddress()))); // connects, never says hello
        }
        Await.until("every slot taken", () -> lb.activeConnections() == SLOTS);
        long start = System.nanoTime();
        try (SSLSocket fresh = (SSLSocket) trusting(dir.resolve("server.pem")).getSocketFactory().createSocket()) {
            fresh.bind(new InetSocketAddress("127.0.0.3", 0));
            fresh.connect(new InetSocketAddress("127.0.0.1", Clients.port(lb.localAddress())));
            fresh.setSoTimeout(20_000);
            fresh.startHandshake();
            fresh.getOutputStream().write('x');
            fresh.getOutputStream().flush();
            assertThat(Clients.readLine(fresh)).isEqualTo("echo");
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        LOG.info("{} TLS clients without a ClientHello, handshake timeout {} ms: a fresh client served after {} ms",
                SLOTS, LIMIT.toMillis(), ms);
        assertThat(ms).isLessThan(5_000L);
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
