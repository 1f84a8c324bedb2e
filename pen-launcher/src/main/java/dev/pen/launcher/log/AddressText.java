package dev.pen.launcher.log;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Addresses as pen prints them (inet_ntoa / inet_ntop): dotted quads, IPv6 in its shortest form ({@code ::1},
 * never {@code 0:0:0:0:0:0:0:1}), no ports; a Unix socket as its path.
 */
public final class AddressText {
    private AddressText() {
    }

    /** pen's text for {@code address}; a socket address loses its port. */
    public static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            InetAddress ip = inet.getAddress();
            return ip != null ? of(ip) : inet.getHostString();
        }
        if (address instanceof UnixDomainSocketAddress unix) {
            return unix.getPath().toString();
        }
        if (address == null) {
            return "";
        }
        // Netty's DomainSocketAddress prints as its path; other kinds show as they describe themselves.
        String text = address.toString();
        return text.startsWith("/") ? text : text.replaceFirst("^.*?(/.*)$", "$1");
    }

    /** pen's text for an IP address. */
    public static String of(InetAddress ip) {
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress();
        }
        if (ip instanceof Inet6Address) {
            return compress(ip.getAddress());
        }
        return ip.getHostAddress();
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run (two or more) of zero groups as {@code ::}. */
    static String compress(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        // IPv4-mapped addresses read as inet_ntop writes them: ::ffff:1.2.3.4
        if (bestStart == 0 && bestLength == 5 && g[5] == 0xffff) {
            return "::ffff:" + (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }
}
