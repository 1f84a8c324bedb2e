package dev.pen.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Port numbers by service name, read once from {@code /etc/services} as pen does with getservbyname. */
public final class Services {
    private static final Path SERVICES = Path.of("/etc/services");
    private static volatile Map<String, Integer> table;

    private Services() {
    }

    /**
     * Parses a port: a decimal number or a service name known for {@code protocol} ("tcp" or "udp").
     *
     * @throws IllegalArgumentException naming the value when it is neither a port in 1..65535 nor a known service
     */
    public static int port(String text, String protocol) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("missing port (expected a number 1..65535 or a service name)");
        }
        if (text.chars().allMatch(Character::isDigit)) {
            int port;
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected port: " + text + " (expected 1..65535)");
            }
            return Address.checkPort(port);
        }
        Integer known = table().get(text.toLowerCase(Locale.ROOT) + "/" + protocol);
        if (known == null) {
            throw new IllegalArgumentException(
                    "unknown port or service '" + text + "' (expected a number 1..65535 or a name from /etc/services)");
        }
        return known;
    }

    private static Map<String, Integer> table() {
        Map<String, Integer> t = table;
        if (t == null) {
            t = load();
            table = t;
        }
        return t;
    }

    private static Map<String, Integer> load() {
        Map<String, Integer> map = new HashMap<>();
        // A few well-known names so that the HOWTO's examples work where /etc/services is absent.
        for (String[] e : new String[][] {{"ftp", "21"}, {"ssh", "22"}, {"smtp", "25"}, {"domain", "53"},
                {"http", "80"}, {"pop3", "110"}, {"imap", "143"}, {"ldap", "389"}, {"https", "443"}}) {
            map.put(e[0] + "/tcp", Integer.parseInt(e[1]));
            map.put(e[0] + "/udp", Integer.parseInt(e[1]));
        }
        try {
            for (String line : Files.readAllLines(SERVICES, StandardCharsets.ISO_8859_1)) {
                int hash = line.indexOf('#');
                String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                int slash = f[1].indexOf('/');
                if (slash <= 0) {
                    continue;
                }
                int port;
                try {
                    port = Integer.parseInt(f[1].substring(0, slash));
                } catch (NumberFormatException e) {
                    continue;
                }
                String proto = f[1].substring(slash + 1).toLowerCase(Locale.ROOT);
                for (int i = 0; i < f.length; i++) {
                    if (i != 1) {
                        map.putIfAbsent(f[i].toLowerCase(Locale.ROOT) + "/" + proto, port);
                    }
                }
            }
        } catch (IOException e) {
            // No services file: the built-in names above remain.
        }
        return Map.copyOf(map);
    }
}
