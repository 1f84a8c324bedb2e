package dev.pen.launcher.admin;

import dev.pen.api.Address;
import dev.pen.api.HostPort;

/**
 * The address of {@code --admin [host:]port}: pen's listen syntax without socket paths, a bare port binding
 * 127.0.0.1 (loopback only, unless an address is named), and a port from 1 to 65535.
 */
public record AdminAddress(String host, int port) {
    /** What a bad value is told to be instead. */
    public static final String EXPECTED = "[host:]port with a port of 1..65535; a bare port binds 127.0.0.1";

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the value and {@link #EXPECTED}
     */
    public static AdminAddress parse(String text) {
        if (text == null || text.isBlank() || HostPort.isPath(text.trim())) {
            throw bad(text, null);
        }
        Address a;
        try {
            a = Address.parseListen(text, "tcp");
        } catch (IllegalArgumentException e) {
            throw bad(text, e);
        }
        if (a.isUnix() || a.port() < 1 || a.port() > 65535) {
            throw bad(text, null);
        }
        return new AdminAddress(a.host() == null ? "127.0.0.1" : a.host(), a.port());
    }

    private static IllegalArgumentException bad(String text, IllegalArgumentException cause) {
        return new IllegalArgumentException("unexpected address: " + text + " (expected " + EXPECTED + ")", cause);
    }

    @Override
    public String toString() {
        return new HostPort(host, Integer.toString(port)).toString();
    }
}
