package dev.pen.netty.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Transport;
import io.netty.channel.ChannelException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Which failures are this machine's (no server is blamed for them) and which are the server's, as each transport
 * reports them: the native ones with an errno, NIO with the system's message, both wrapped when a socket could not
 * even be made.
 */
class LocalErrorsTest {

    @Test
    void nativeErrnosOfOutOfDescriptorsPortsOrBuffersAreLocal() {
        // Netty's native errors name the errno in words, which needs the native library loaded.
        Assumptions.assumeTrue(ChosenTransport.available(Transport.EPOLL)
                || ChosenTransport.available(Transport.IO_URING), "no native transport on this machine");
        // What epoll and io_uring throw when socket() fails, and what a failed connect reports.
        assertThat(LocalErrors.isLocal(new ChannelException(new Errors.NativeIoException("newSocketStream", -24))))
                .isTrue();
        assertThat(LocalErrors.isLocal(new Errors.NativeIoException("newSocketStream", -23))).isTrue();
        assertThat(LocalErrors.isLocal(new Errors.NativeIoException("connect", -99))).isTrue();
        assertThat(LocalErrors.isLocal(new Errors.NativeIoException("sendmsg", -105))).isTrue();
        assertThat(LocalErrors.isLocal(new Errors.NativeIoException("connect", -111))).as("ECONNREFUSED").isFalse();
    }

    @Test
    void nioMessagesOfOutOfDescriptorsPortsOrBuffersAreLocal() {
        assertThat(LocalErrors.isLocal(new ChannelException("Failed to open a socket.",
                new SocketException("Too many open files")))).isTrue();
        assertThat(LocalErrors.isLocal(new BindException("Cannot assign requested address"))).isTrue();
        assertThat(LocalErrors.isLocal(new IOException("No buffer space available (maximum connections reached?)")))
                .isTrue();
    }

    @Test
    void whatTheServerOrTheNetworkSaysIsNotLocal() {
        assertThat(LocalErrors.isLocal(new ConnectException("Connection refused"))).isFalse();
        assertThat(LocalErrors.isLocal(new ConnectTimeoutException("connection timed out after 3000 ms"))).isFalse();
        assertThat(LocalErrors.isLocal(new NoRouteToHostException("No route to host"))).isFalse();
        assertThat(LocalErrors.isLocal(new IOException((String) null))).isFalse();
    }

    @Test
    void aCycleOfCausesEnds() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertThat(LocalErrors.isLocal(a)).isFalse();
    }
}
