package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModesTest {

    @Test
    void clientTrackingIsOnByDefaultAndOffIsPensDashR() {
        assertThat(Modes.DEFAULT.clientTracking()).isTrue();
        Modes untracked = Modes.DEFAULT.withClientTracking(false);
        assertThat(untracked.clientTracking()).isFalse();
        assertThat(untracked.roundRobin()).isTrue();
        assertThat(untracked).hasToString("no hash roundrobin no stubborn no weight no prio");
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedRoundRobinIsTrackingOff() {
        assertThat(Modes.DEFAULT.withRoundRobin(true)).isEqualTo(Modes.DEFAULT.withClientTracking(false));
        assertThat(Modes.DEFAULT.withRoundRobin(false)).isEqualTo(Modes.DEFAULT);
    }
}
