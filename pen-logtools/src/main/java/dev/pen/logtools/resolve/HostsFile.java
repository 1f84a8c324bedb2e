package dev.pen.logtools.resolve;

import dev.pen.api.HostPort;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hosts file as the C library's {@code files} source reads it: an address's name is the first name of the
 * first line that lists the address; a name's addresses are those of every line that lists the name.
 */
final class HostsFile {

    static final HostsFile EMPTY = new HostsFile(Map.of(), Map.of());

    private final Map<InetAddress, String> names;
    private final Map<String, List<InetAddress>> addresses;

    private HostsFile(Map<InetAddress, String> names, Map<String, List<InetAddress>> addresses) {
        this.names = names;
        this.addresses = addresses;
    }

    /** The entries of {@code file}; a missing file has none. */
    static HostsFile read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
        Map<InetAddress, String> names = new HashMap<>();
        Map<String, List<InetAddress>> addresses = new HashMap<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String[] words = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
            if (words.length < 2) {
                continue;
            }
            InetAddress address = HostPort.ipLiteral(words[0]).orElse(null);
            if (address == null) {
                continue;
            }
            names.putIfAbsent(address, words[1]);
            for (int i = 1; i < words.length; i++) {
                addresses.computeIfAbsent(words[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(address);
            }
        }
        return new HostsFile(names, addresses);
    }

    /** The name for {@code address}, or null. */
    String name(InetAddress address) {
        return names.get(address);
    }

    /** The addresses listed for {@code name}, empty when none. */
    List<InetAddress> addresses(String name) {
        return addresses.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
}
