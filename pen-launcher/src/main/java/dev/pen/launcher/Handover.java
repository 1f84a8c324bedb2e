package dev.pen.launcher;

import dev.pen.launcher.log.Diagnostics;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What lets a new balancer process take over from a running one on the same port (a restart or an upgrade): the
 * new one binds its listener beside the old one's ({@code --reuseport}), waits for the control and admin ports the
 * old one still holds (they are closed first when it is stopped with {@code --grace}), and each process removes
 * the pid file only while it still holds its own pid.
 */
final class Handover {
    /** Beyond the grace, how long a new process waits for a control or admin port still in use. */
    static final Duration BIND_MARGIN = Duration.ofSeconds(5);
    /** Where Linux says whether a closed listener's queued connections move to another on the same port. */
    static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Handover() {
    }

    /** Binds a port, or throws. */
    @FunctionalInterface
    interface Bind<T, E extends Exception> {
        T bind() throws E;
    }

    /**
     * Runs {@code bind} until it succeeds or fails for another reason than an address in use, trying again for up
     * to {@code period}; {@code period} zero tries once.
     *
     * @param what names the port in the one diagnostic line said while waiting
     */
    static <T, E extends Exception> T bindRetrying(String what, Duration period, Diagnostics diagnostics,
            Bind<T, E> bind) throws E {
        long deadline = System.nanoTime() + period.toNanos();
        boolean said = false;
        while (true) {
            try {
                return bind.bind();
            } catch (Exception e) {
                if (!inUse(e) || System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                if (!said) {
                    diagnostics.debug(1, what + " in use, trying again for up to " + period.toSeconds() + " s");
                    said = true;
                }
                LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    private static boolean inUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The one line to warn with when {@code --reuseport} cannot promise that no client is reset: Linux resets the
     * connections still queued on a listener when it closes, unless {@code net.ipv4.tcp_migrate_req} is 1.
     */
    static Optional<String> migrateWarning(Path sysctl) {
        String value;
        try {
            value = Files.readString(sysctl, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return Optional.of("pen: warning: --reuseport: this kernel has no net.ipv4.tcp_migrate_req (Linux 5.14 "
                    + "and later): clients queued on a stopping balancer's listener are reset");
        } catch (IOException e) {
            return Optional.of("pen: warning: --reuseport: can't read " + sysctl + ": " + e.getMessage());
        }
        if (value.equals("0")) {
            return Optional.of("pen: warning: --reuseport: net.ipv4.tcp_migrate_req is 0, so clients queued on a "
                    + "stopping balancer's listener are reset (expected 1: sysctl -w net.ipv4.tcp_migrate_req=1)");
        }
        return Optional.empty();
    }

    /**
     * Removes {@code pidFile} when it holds {@code pid}, and leaves it to the process that wrote another pid since.
     *
     * @return true when it was removed
     */
    static boolean removePidFile(Path pidFile, long pid) throws IOException {
        String held;
        try {
            held = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!held.equals(Long.toString(pid))) {
            return false;
        }
        return Files.deleteIfExists(pidFile);
    }
}
