package dev.pen.netty.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.Transport;
import org.junit.jupiter.api.Test;

/** The transport chosen automatically falls back past a native library that cannot load; a forced one does not. */
class ChosenTransportTest {

    @Test
    void aNativeLibraryThatCannotLoadMeansTheNextTransport() {
        assertThat(ChosenTransport.automatic(Transport.IO_URING, () -> {
            throw new UnsatisfiedLinkError("libnetty_transport_native_io_uring42: wrong ELF class");
        })).isNull();
        assertThat(ChosenTransport.automatic(Transport.NIO, () -> ChosenTransport.choose(Transport.NIO)).kind())
                .isEqualTo(Transport.NIO);
    }

    @Test
    void somethingOtherThanALinkageErrorIsNotHidden() {
        assertThatThrownBy(() -> ChosenTransport.automatic(Transport.EPOLL, () -> {
            throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class);
    }
}
