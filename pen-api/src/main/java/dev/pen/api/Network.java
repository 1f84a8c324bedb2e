package dev.pen.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR form ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; an address alone is a network
 * of one). IPv4 addresses are in IPv4 networks only and IPv6 addresses in IPv6 networks only. Immutable.
 *
 * @param address the network's address, its host bits zero
 * @param prefixLength the number of leading bits that must match, 0 to 32 (IPv4) or 0 to 128 (IPv6)
 */
public record Network(InetAddress address, int prefixLength) {
    private static final String EXPECTED = "expected an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32";

    /** Checks the prefix against the address family and that no host bit is set. */
    public Network {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("unexpected prefix length " + prefixLength + " for "
                    + address.getHostAddress() + " (expected 0.." + bits + ")");
        }
        if (!Arrays.equals(masked(address.getAddress(), prefixLength), address.getAddress())) {
            throw new IllegalArgumentException("network " + address.getHostAddress() + "/" + prefixLength
                    + " has host bits set (expected " + masked(address, prefixLength).getHostAddress() + "/"
                    + prefixLength + ")");
        }
    }

    /**
     * Reads {@code ADDRESS[/PREFIX]}, the address a literal (no name is looked up).
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static Network parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = literal(host, text);
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("bad network '" + text + "' (" + EXPECTED + ")");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException("bad network '" + text + "': prefix length " + prefix
                        + " (expected 0.." + bits + ")");
            }
        }
        try {
            return new Network(address, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad network '" + text + "': " + e.getMessage());
        }
    }

    /**
     * Reads a comma-separated list of networks, at least one, at most {@code 1024}.
     *
     * @throws IllegalArgumentException naming the first bad entry and what was expected
     */
    public static List<Network> parseList(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split(",", -1);
        if (parts.length > 1024) {
            throw new IllegalArgumentException("unexpected number of networks: " + parts.length
                    + " (expected at most 1024)");
        }
        List<Network> list = new ArrayList<>(parts.length);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("bad network list '" + text + "': an empty entry (" + EXPECTED
                        + ", joined by commas)");
            }
            list.add(parse(part));
        }
        return List.copyOf(list);
    }

    /** Whether {@code client} is in this network; never for an address of the other family or {@code null}. */
    public boolean contains(InetAddress client) {
        if (client == null) {
            return false;
        }
        byte[] c = client.getAddress();
        return c.length == address.getAddress().length
                && Arrays.equals(masked(c, prefixLength), address.getAddress());
    }

    /** Whether any of {@code networks} contains {@code client}. */
    public static boolean anyContains(List<Network> networks, InetAddress client) {
        for (Network n : networks) {
            if (n.contains(client)) {
                return true;
            }
        }
        return false;
    }

    private static InetAddress literal(String host, String text) {
        boolean v4 = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("bad network '" + text + "' (" + EXPECTED + ")");
        }
        if (v4) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("bad network '" + text + "' (" + EXPECTED + ")");
                }
            }
        }
        try {
            // A literal: getByName looks nothing up.
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad network '" + text + "' (" + EXPECTED + ")");
        }
    }

    private static InetAddress masked(InetAddress a, int prefix) {
        try {
            return InetAddress.getByAddress(masked(a.getAddress(), prefix));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] masked(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff00 >> keep);
        }
        return out;
    }

    /** The CIDR form, {@code address/prefix}. */
    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
