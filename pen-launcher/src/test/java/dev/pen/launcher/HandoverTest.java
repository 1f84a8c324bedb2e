package dev.pen.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.launcher.log.Diagnostics;
import dev.pen.netty.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new process taking over from an old one: pid file ownership, ports waited for, the kernel setting checked. */
class HandoverTest {
    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final Diagnostics diagnostics = new Diagnostics(() -> 1, new PrintStream(said, true,
            StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @AfterEach
    void closeDiagnostics() {
        diagnostics.close();
    }

    @Test
    void pidFileIsRemovedWhileItHoldsOurPid() throws IOException {
        Path pidFile = dir.resolve("pen.pid");
        Files.writeString(pidFile, "4242");
        assertThat(Handover.removePidFile(pidFile, 4242)).isTrue();
        assertThat(pidFile).doesNotExist();
        assertThat(Handover.removePidFile(pidFile, 4242)).isFalse();
    }

    @Test
    void pidFileRewrittenByANewProcessIsLeftToIt() throws IOException {
        Path pidFile = dir.resolve("pen.pid");
        Files.writeString(pidFile, "5151");
        assertThat(Handover.removePidFile(pidFile, 4242)).isFalse();
        assertThat(pidFile).hasContent("5151");
    }

    @Test
    void portInUseIsWaitedForUntilItsHolderLetsGo() throws Exception {
        ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int port = holder.getLocalPort();
        CompletableFuture<ServerSocket> bound = CompletableFuture.supplyAsync(() -> {
            try {
                return Handover.bindRetrying("control port " + port, Duration.ofSeconds(20), diagnostics,
                        () -> bindTo(port));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the wait said once", () -> said.toString(StandardCharsets.UTF_8)
                .contains("control port " + port + " in use, trying again for up to 20 s"));
        assertThat(bound).isNotDone();
        holder.close();
        try (ServerSocket mine = bound.get(10, TimeUnit.SECONDS)) {
            assertThat(mine.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void portStillInUseAfterThePeriodFailsWithTheBindError() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> Handover.bindRetrying("control port", Duration.ofMillis(300), diagnostics,
                    () -> bindTo(holder.getLocalPort()))).isInstanceOf(BindException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void withoutAPeriodAPortInUseFailsAtOnce() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Handover.bindRetrying("control port", Duration.ZERO, diagnostics,
                    () -> bindTo(holder.getLocalPort()))).isInstanceOf(BindException.class);
        }
    }

    @Test
    void otherBindErrorsAreNotWaitedFor() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Handover.bindRetrying("control port", Duration.ofSeconds(20), diagnostics, () -> {
            throw new IllegalArgumentException("unexpected address: x:y:z");
        })).hasMessage("unexpected address: x:y:z");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void migrationOffIsWarnedAboutInOneLineNamingTheSetting() throws IOException {
        Path sysctl = dir.resolve("tcp_migrate_req");
        Files.writeString(sysctl, "0\n");
        assertThat(Handover.migrateWarning(sysctl)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("pen: warning: --reuseport: net.ipv4.tcp_migrate_req is 0").doesNotContain("\n"));
        Files.writeString(sysctl, "1\n");
        assertThat(Handover.migrateWarning(sysctl)).isEmpty();
        assertThat(Handover.migrateWarning(dir.resolve("absent"))).hasValueSatisfying(w -> assertThat(w)
                .contains("no net.ipv4.tcp_migrate_req"));
    }

    private static ServerSocket bindTo(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
