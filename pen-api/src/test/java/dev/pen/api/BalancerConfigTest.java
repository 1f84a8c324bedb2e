package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration as one value: copies, changed copies and server slots. */
class BalancerConfigTest {

    private static BalancerConfig full() {
        return BalancerConfig.builder().listen("127.0.0.1:8080").backend("a:81").backend("b:82:10:20:3:4")
                .emergency("e:90").abuse("x:91").modes(Modes.DEFAULT.withHash(true).withStubborn(true))
                .limits(Limits.DEFAULT.withClientTableSize(16)).strategy(Strategy.weight())
                .accessList(2, AccessList.empty().with(AccessList.Entry.parse("deny", "10.0.0.1", null)))
                .clientAcl(2).transport(Transport.NIO).eventLoops(2).backlog(64).reusePort(true).tcpNoDelay(false)
                .http(true).tls(TlsSettings.of(Path.of("cert.pem"))).udpIdleTimeout(Duration.ofSeconds(5))
                .keepAlive(true).sourceAddress(java.net.InetAddress.getLoopbackAddress()).transparent(true)
                .fastClose(FastClose.UP).maxPendingConnects(7).acceptBatch(3).dummy(true).build();
    }

    @Test
    void idleConnectionsTakePartInEqualityAndHaveBounds() {
        BalancerConfig config = BalancerConfig.builder().listen("80").idleConnections(3).build();
        assertThat(config.idleConnections()).isEqualTo(3);
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toBuilder().idleConnections(0).build()).isNotEqualTo(config);
        assertThat(BalancerConfig.builder().listen("80").build().idleConnections()).isZero();
        assertThatThrownBy(() -> BalancerConfig.builder().idleConnections(-1))
                .hasMessage("unexpected idle connections: -1 (expected 0..1024)");
        assertThatThrownBy(() -> BalancerConfig.builder().idleConnections(BalancerConfig.MAX_IDLE_CONNECTIONS + 1))
                .hasMessage("unexpected idle connections: 1025 (expected 0..1024)");
        assertThatThrownBy(() -> config.toBuilder().udp(true).build())
                .hasMessage("idle connections with UDP: 3 (expected 0: UDP has no server connections to keep open)");
    }

    @Test
    void everySocketSettingTakesPartInEquality() {
        BalancerConfig config = full();
        assertThat(config.toBuilder().keepAlive(false).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().sourceAddress(null).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().transparent(false).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().fastClose(FastClose.BOTH).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().maxPendingConnects(8).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().acceptBatch(4).build()).isNotEqualTo(config);
        assertThat(config.toBuilder().dummy(false).build()).isNotEqualTo(config);
    }

    @Test
    void pendingConnectsAndAcceptBatchHaveBoundsAndPensDefaults() {
        BalancerConfig config = BalancerConfig.builder().listen("80").build();
        assertThat(config.maxPendingConnects()).isEqualTo(100);
        assertThat(config.acceptBatch()).isEqualTo(100);
        assertThat(config.fastClose()).isEqualTo(FastClose.OFF);
        assertThatThrownBy(() -> BalancerConfig.builder().maxPendingConnects(0))
                .hasMessage("unexpected pending connects: 0 (expected 1..1048576)");
        assertThatThrownBy(() -> BalancerConfig.builder().acceptBatch(BalancerConfig.MAX_COUNT + 1))
                .hasMessage("unexpected accept batch: 1048577 (expected 1..1048576)");
    }

    @Test
    void fastCloseReadsPensWords() {
        assertThat(FastClose.parse("up").onServerEnd()).isTrue();
        assertThat(FastClose.parse("up").onClientEnd()).isFalse();
        assertThat(FastClose.parse("down").onClientEnd()).isTrue();
        assertThat(FastClose.parse("both").onClientEnd()).isTrue();
        assertThat(FastClose.parse("both").onServerEnd()).isTrue();
        assertThat(FastClose.OFF.penName()).isEqualTo("off");
        assertThatThrownBy(() -> FastClose.parse("sideways"))
                .hasMessage("unexpected fast close 'sideways' (expected up, down, both or off)");
    }

    @Test
    void aCopyEqualsTheOriginalInEverySetting() {
        BalancerConfig config = full();
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(config.toBuilder().backlog(65).build()).isNotEqualTo(config);
    }

    @Test
    void aChangedCopyLeavesTheOriginalAsItWas() {
        BalancerConfig config = full();
        BalancerConfig changed = config.toBuilder().modes(Modes.DEFAULT).backend("c:83").build();
        assertThat(config.modes().hash()).isTrue();
        assertThat(config.backendSlots()).isEqualTo(2);
        assertThat(changed.backendSlots()).isEqualTo(3);
        assertThat(changed.backend(2).orElseThrow().address().port()).isEqualTo(83);
    }

    @Test
    void emptyingASlotKeepsEveryOtherIndexAndAddingFillsTheGap() {
        BalancerConfig config = full().toBuilder().backend("c:83").backend(0, null).build();
        assertThat(config.backends()).hasSize(3);
        assertThat(config.backend(0)).isEmpty();
        assertThat(config.backend(2).orElseThrow().address().host()).isEqualTo("c");
        assertThat(config.firstFreeSlot()).isZero();
        BalancerConfig filled = config.toBuilder().backend(config.firstFreeSlot(), Backend.of("d", 84)).build();
        assertThat(filled.backend(0).orElseThrow().address().host()).isEqualTo("d");
        assertThat(filled.firstFreeSlot()).isEqualTo(3);
    }

    @Test
    void aSlotBeyondTheTableAddsEmptySlotsBeforeIt() {
        BalancerConfig config = BalancerConfig.builder().listen("80").backend(3, Backend.of("a", 81)).build();
        assertThat(config.backendSlots()).isEqualTo(4);
        assertThat(config.backends()).containsExactly(null, null, null, Backend.of("a", 81));
    }

    @Test
    void aSlotIndexOutOfRangeIsNamed() {
        assertThatThrownBy(() -> BalancerConfig.builder().backend(-1, Backend.of("a", 81)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unexpected server index: -1 (expected 0..9999)");
        assertThatThrownBy(() -> BalancerConfig.builder().backend(10_000, Backend.of("a", 81)))
                .hasMessage("unexpected server index: 10000 (expected 0..9999)");
    }

    @Test
    void theNameIsTheListenAddressUnlessOneIsGiven() {
        BalancerConfig config = BalancerConfig.builder().listen("127.0.0.1:8080").build();
        assertThat(config.name()).isEqualTo("127.0.0.1:8080");
        assertThat(config.toBuilder().listen("127.0.0.1:8081").build().name()).isEqualTo("127.0.0.1:8081");
        BalancerConfig named = config.toBuilder().name("edge").build();
        assertThat(named.name()).isEqualTo("edge");
        assertThat(named).isNotEqualTo(config);
        assertThat(named.toBuilder().listen("127.0.0.1:8081").build().name()).isEqualTo("edge");
        assertThat(named.toBuilder().name(null).build()).isEqualTo(config);
    }

    @Test
    void aBadNameIsNamed() {
        assertThatThrownBy(() -> BalancerConfig.builder().name(""))
                .hasMessage("unexpected balancer name length: 0 (expected 1..200 characters)");
        assertThatThrownBy(() -> BalancerConfig.builder().name("x".repeat(201)))
                .hasMessage("unexpected balancer name length: 201 (expected 1..200 characters)");
        assertThatThrownBy(() -> BalancerConfig.builder().name("a\nb"))
                .hasMessage("unexpected control character in balancer name at 1 (expected printable characters)");
    }
}
