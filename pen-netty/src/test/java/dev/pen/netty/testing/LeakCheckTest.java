package dev.pen.netty.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The leak check itself: a buffer dropped without release is reported. */
class LeakCheckTest {

    @Test
    void droppedBufferIsReportedAsALeak() {
        dropOne();
        assertThat(LeakCheck.collect()).anySatisfy(leak -> assertThat(leak).startsWith("LEAK: ByteBuf"));
    }

    private static void dropOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeInt(42);
    }
}
