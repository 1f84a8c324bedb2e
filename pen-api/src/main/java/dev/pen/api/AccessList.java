package dev.pen.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One of pen's ten access lists: entries are checked in order and the first that matches the client decides; when
 * none matches, the answer is the opposite of the last entry; an empty list permits everyone. IPv4 clients are
 * checked against IPv4 entries only and IPv6 clients against IPv6 entries only. Immutable and thread-safe.
 */
public final class AccessList {
    /** pen keeps ten lists, numbered 0 to 9. */
    public static final int LISTS = 10;

    private static final AccessList EMPTY = new AccessList(List.of());

    /** One entry: permit or deny the clients whose address ANDed with {@code mask} equals {@code address}. */
    public record Entry(boolean permit, InetAddress address, byte[] mask) {
        public Entry {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(mask, "mask");
            if (mask.length != address.getAddress().length) {
                throw new IllegalArgumentException("mask length does not match address " + address.getHostAddress());
            }
            mask = mask.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.permit == permit && e.address.equals(address)
                    && java.util.Arrays.equals(e.mask, mask);
        }

        @Override
        public int hashCode() {
            return Objects.hash(permit, address) * 31 + java.util.Arrays.hashCode(mask);
        }

        /** The mask, copied. */
        @Override
        public byte[] mask() {
            return mask.clone();
        }

        boolean matches(byte[] client) {
            byte[] ip = address.getAddress();
            if (client.length != ip.length) {
                return false;
            }
            for (int i = 0; i < ip.length; i++) {
                // pen does not mask the entry's own address: host bits outside the mask never match.
                if ((client[i] & mask[i]) != ip[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The prefix length when the mask is contiguous, else -1. */
        public int prefixLength() {
            int bits = 0;
            boolean ended = false;
            for (byte b : mask) {
                for (int bit = 7; bit >= 0; bit--) {
                    boolean one = (b >> bit & 1) != 0;
                    if (one && ended) {
                        return -1;
                    }
                    if (one) {
                        bits++;
                    } else {
                        ended = true;
                    }
                }
            }
            return bits;
        }

        /**
         * pen's text for this entry as {@code write} prints it: {@code permit 10.0.0.1 255.255.255.0} for IPv4,
         * {@code deny ::1/128} for IPv6.
         */
        @Override
        public String toString() {
            String verb = permit ? "permit" : "deny";
            if (address instanceof Inet4Address) {
                try {
                    return verb + " " + address.getHostAddress() + " " + InetAddress.getByAddress(mask).getHostAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            return verb + " " + address.getHostAddress() + "/" + prefixLength();
        }

        /**
         * Parses {@code permit|deny A.B.C.D [MASK]} or {@code permit|deny IPV6[/LEN]}, given as separate words.
         */
        public static Entry parse(String verb, String address, String maskOrNull) {
            boolean permit;
            if ("permit".equals(verb)) {
                permit = true;
            } else if ("deny".equals(verb)) {
                permit = false;
            } else {
                throw new IllegalArgumentException("acl: expected permit|deny, got '" + verb + "'");
            }
            if (address == null || address.isEmpty()) {
                throw new IllegalArgumentException("acl: expected an address after " + verb);
            }
            if (address.indexOf(':') >= 0) {
                String host = address;
                int len = 128;
                int slash = address.indexOf('/');
                if (slash >= 0) {
                    host = address.substring(0, slash);
                    try {
                        len = Integer.parseInt(address.substring(slash + 1));
                    } catch (NumberFormatException e) {
                        len = -1;
                    }
                    if (len < 0 || len > 128) {
                        throw new IllegalArgumentException("acl: bogus prefix length in '" + address + "' (expected 0..128)");
                    }
                }
                InetAddress ip = literal(host, true);
                byte[] mask = new byte[16];
                for (int i = 0; i < len; i++) {
                    mask[i / 8] |= (byte) (0x80 >>> (i % 8));
                }
                return new Entry(permit, ip, mask);
            }
            InetAddress ip = literal(address, false);
            byte[] mask = maskOrNull == null ? new byte[] {-1, -1, -1, -1} : literal(maskOrNull, false).getAddress();
            return new Entry(permit, ip, mask);
        }

        private static InetAddress literal(String text, boolean v6) {
            InetAddress parsed = null;
            try {
                if (v6 ? text.indexOf(':') >= 0 : text.matches("[0-9]+(\\.[0-9]+){0,3}")) {
                    parsed = HostPort.ipLiteral(v6 ? text : dottedQuad(text)).orElse(null);
                }
            } catch (IllegalArgumentException e) {
                parsed = null;
            }
            if (parsed == null || (v6 ? !(parsed instanceof Inet6Address) : !(parsed instanceof Inet4Address))) {
                throw new IllegalArgumentException("acl: bogus address '" + text + "' (expected "
                        + (v6 ? "an IPv6 address[/len]" : "a dotted-quad IPv4 address") + ")");
            }
            return parsed;
        }

        /** inet_aton's short forms: {@code a}, {@code a.b}, {@code a.b.c} fill the last part with the rest. */
        private static String dottedQuad(String text) {
            String[] p = text.split("\\.");
            long[] v = new long[p.length];
            for (int i = 0; i < p.length; i++) {
                v[i] = Long.parseLong(p[i]);
            }
            long value;
            switch (p.length) {
                case 1 -> value = v[0];
                case 2 -> value = (v[0] << 24) | v[1];
                case 3 -> value = (v[0] << 24) | (v[1] << 16) | v[2];
                default -> value = (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
            }
            for (int i = 0; i < p.length - 1; i++) {
                if (v[i] > 255) {
                    throw new IllegalArgumentException(text);
                }
            }
            if (v[p.length - 1] > (0xFFFFFFFFL >>> (8 * (p.length - 1)))) {
                throw new IllegalArgumentException(text);
            }
            if (value < 0 || value > 0xFFFFFFFFL) {
                throw new IllegalArgumentException(text);
            }
            return (value >>> 24) + "." + (value >>> 16 & 255) + "." + (value >>> 8 & 255) + "." + (value & 255);
        }
    }

    private final List<Entry> entries;

    private AccessList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The empty list, which permits everyone. */
    public static AccessList empty() {
        return EMPTY;
    }

    /** A list holding {@code entries} in order. */
    public static AccessList of(List<Entry> entries) {
        return entries.isEmpty() ? EMPTY : new AccessList(entries);
    }

    /** This list with {@code entry} appended (pen's {@code acl N permit|deny ...}). */
    public AccessList with(Entry entry) {
        List<Entry> copy = new ArrayList<>(entries);
        copy.add(Objects.requireNonNull(entry, "entry"));
        return new AccessList(copy);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** pen's rule: first matching entry decides; no match is the opposite of the last entry; empty permits. */
    public boolean permits(InetAddress client) {
        if (entries.isEmpty() || client == null) {
            return true;
        }
        byte[] bytes = client.getAddress();
        for (Entry e : entries) {
            if (e.matches(bytes)) {
                return e.permit;
            }
        }
        return !entries.get(entries.size() - 1).permit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessList other && other.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
