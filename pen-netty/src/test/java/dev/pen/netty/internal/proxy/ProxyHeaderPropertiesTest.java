package dev.pen.netty.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.ProxyProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the PROXY header: what the balancer encodes for a backend reads back to the same addresses, in
 * any split into reads, with the bytes after it intact; any other bytes are refused through the reader's own event
 * (never an exception past it) within the protocol's bounds; and the untrusted side's guard knows a signature
 * from anything else.
 */
class ProxyHeaderPropertiesTest {

    @Provide
    Arbitrary<InetAddress> addresses() {
        Arbitrary<byte[]> v4 = Arbitraries.bytes().array(byte[].class).ofSize(4);
        Arbitrary<byte[]> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16)
                // a v4-mapped address would come back as IPv4
                .filter(b -> !(Arrays.equals(Arrays.copyOf(b, 10), new byte[10]) && b[10] == -1 && b[11] == -1));
        return Arbitraries.oneOf(v4, v6).map(ProxyHeaderPropertiesTest::address);
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes the balancer writes to a backend for this client. */
    private static byte[] encoded(ProxyProtocol version, InetSocketAddress source, InetSocketAddress destination) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        try {
            encoder.writeOutbound(ProxyHeaderWriter.message(version, source, destination));
            ByteBuf out = encoder.readOutbound();
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            out.release();
            return bytes;
        } finally {
            encoder.finishAndReleaseAll();
        }
    }

    /** {@code bytes} cut at {@code cuts} (positions taken modulo the length). */
    private static List<byte[]> split(byte[] bytes, List<Integer> cuts) {
        List<Integer> at = new ArrayList<>();
        for (int c : cuts) {
            at.add(bytes.length == 0 ? 0 : c % (bytes.length + 1));
        }
        at.add(0);
        at.add(bytes.length);
        List<byte[]> parts = new ArrayList<>();
        List<Integer> sorted = at.stream().sorted().distinct().toList();
        for (int i = 1; i < sorted.size(); i++) {
            parts.add(Arrays.copyOfRange(bytes, sorted.get(i - 1), sorted.get(i)));
        }
        return parts;
    }

    @Property(tries = 500, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void whatIsSentToABackendReadsBackToTheSameClient(@ForAll("addresses") InetAddress source,
            @ForAll @IntRange(min = 1, max = 65535) int sourcePort, @ForAll @IntRange(min = 1, max = 65535) int port,
            @ForAll boolean v2, @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 2000) Integer> cuts,
            @ForAll @Size(max = 40) byte[] after) {
        // TCP ports (1..65535: v1 has no port 0); the destination of the source's family, as a listener and its client are.
        InetAddress destination = address(source.getAddress().length == 4 ? new byte[] {10, 0, 0, 1}
                : new byte[] {32, 1, 13, -72, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        InetSocketAddress from = new InetSocketAddress(source, sourcePort);
        InetSocketAddress to = new InetSocketAddress(destination, port);
        byte[] header = encoded(v2 ? ProxyProtocol.V2 : ProxyProtocol.V1, from, to);
        byte[] all = Arrays.copyOf(header, header.length + after.length);
        System.arraycopy(after, 0, all, header.length, after.length);
        try (HeaderReading reading = new HeaderReading()) {
            for (byte[] part : split(all, cuts)) {
                reading.read(part);
            }
            assertThat(reading.errors).isEmpty();
            assertThat(reading.received()).isTrue();
            assertThat(reading.events).hasSize(1);
            assertThat(reading.addresses()).isEqualTo(new ClientAddresses(from, to));
            assertThat(reading.after()).isEqualTo(after);
        }
    }

    @Property(tries = 1000, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void anyOtherBytesAreRefusedByTheReadersOwnEventWithinTheBounds(
            @ForAll @Size(max = 400) byte[] bytes, @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 400) Integer> cuts) {
        try (HeaderReading reading = new HeaderReading()) {
            for (byte[] part : split(bytes, cuts)) {
                reading.read(part);
            }
            assertThat(reading.errors).isEmpty();
            assertThat(reading.events).hasSizeLessThanOrEqualTo(1);
            if (reading.events.isEmpty()) {
                // Still waiting: only while the bytes could yet be a header of the protocol's sizes.
                boolean v2 = bytes.length >= 12 && bytes[0] == 0x0D && bytes[1] == 0x0A && bytes[4] == 0;
                assertThat(bytes.length).isLessThanOrEqualTo(v2 ? 16 + 65535 : 108);
            }
        }
    }

    @Property(tries = 300)
    void aV1LineLongerThanTheProtocolsLimitIsRefused(@ForAll @IntRange(min = 108, max = 2000) int length) {
        try (HeaderReading reading = new HeaderReading()) {
            reading.read(("PROXY TCP4 " + "1".repeat(length)).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(reading.refused()).isTrue();
        }
    }

    @Property(tries = 1000)
    void theGuardFindsASignatureOnlyAtTheStart(@ForAll @Size(max = 30) byte[] bytes) {
        ProxySignatureGuard.Verdict verdict = ProxySignatureGuard.verdict(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        String v2 = "\r\n\r\n\0\r\nQUIT\n";
        boolean signature = text.startsWith("PROXY ") || text.startsWith(v2);
        boolean prefix = bytes.length > 0 && ("PROXY ".startsWith(text) || v2.startsWith(text));
        assertThat(verdict).isEqualTo(signature ? ProxySignatureGuard.Verdict.SIGNATURE
                : prefix ? ProxySignatureGuard.Verdict.MORE : ProxySignatureGuard.Verdict.NONE);
    }
}
