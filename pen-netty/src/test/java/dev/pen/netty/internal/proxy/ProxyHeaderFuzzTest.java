package dev.pen.netty.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A coverage-guided fuzz target for the PROXY header of a trusted client: any bytes, split into reads, are read as
 * a header or refused, never thrown past the reader, and every buffer is released; a refused connection or one
 * that has its header tells exactly one event. {@code mvn verify} replays the inputs kept under
 * {@code .../ProxyHeaderFuzzTestInputs}.
 */
class ProxyHeaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void trustedClientBytes(FuzzedDataProvider data) {
        try (HeaderReading reading = new HeaderReading()) {
            for (int i = 0; i < 6 && data.remainingBytes() > 0; i++) {
                reading.read(data.consumeBytes(data.consumeInt(1, 300)));
            }
            assertThat(reading.errors).isEmpty();
            assertThat(reading.events).hasSizeLessThanOrEqualTo(1);
        }
    }
}
