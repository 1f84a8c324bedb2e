package dev.pen.netty.internal.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A coverage-guided fuzz target for http mode: any bytes from the client, split into reads, and any answers from
 * the backend are relayed, rewritten or refused, never thrown, and every buffer is released (what is passed on
 * is checked by ForwardedHeadersPropertiesTest). {@code mvn verify} replays the inputs kept under
 * {@code .../HttpHeadFuzzTestInputs}.
 */
class HttpHeadFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void clientAndBackendBytes(FuzzedDataProvider data) {
        try (HttpExchange exchange = new HttpExchange()) {
            // A refused connection, or a backend whose responses cannot be framed, is closed: nothing more reaches it.
            for (int i = 0; i < 6 && data.remainingBytes() > 0 && exchange.client.isOpen()
                    && exchange.backend.isOpen(); i++) {
                if (data.consumeBoolean()) {
                    exchange.send(data.consumeString(512));
                } else {
                    exchange.answer(data.consumeString(256));
                }
                exchange.toBackend();
                exchange.toClient();
            }
        }
    }
}
