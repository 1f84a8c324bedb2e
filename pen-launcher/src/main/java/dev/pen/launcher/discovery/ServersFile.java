package dev.pen.launcher.discovery;

import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The file of {@code --servers-file}: one server spec a line, as on pen's command line
 * ({@code host:port[:maxc[:hard[:weight[:prio]]]]}, read by {@link Backend#parse}), with {@code #} starting a
 * comment and blank lines allowed. At most {@link #MAX_BYTES} bytes and {@link BalancerConfig#MAX_SLOTS} servers.
 * A file with one bad line is refused whole, so that a typo never takes a live server away.
 */
final class ServersFile {
    /** The largest file read. */
    static final int MAX_BYTES = 1024 * 1024;

    private final Path path;
    private final int defaultPort;
    private byte[] lastContent;

    /** @param defaultPort the port of a spec without one (the listen port), or 0 when there is none to lend */
    ServersFile(Path path, int defaultPort) {
        this.path = path;
        this.defaultPort = defaultPort;
    }

    Path path() {
        return path;
    }

    /**
     * The servers in the file when its content differs from the last read, or null when it is the same.
     *
     * @throws IllegalArgumentException one line naming the file, the line and what was expected; the file counts
     *     as read, so the same bad content is reported once
     */
    List<Backend> readIfChanged() {
        byte[] content = content();
        if (lastContent != null && Arrays.equals(content, lastContent)) {
            return null;
        }
        lastContent = content;
        return parse(content);
    }

    /** The servers in the file, read now. */
    List<Backend> read() {
        byte[] content = content();
        lastContent = content;
        return parse(content);
    }

    private byte[] content() {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalArgumentException("servers file " + path + ": larger than " + MAX_BYTES
                        + " bytes (expected at most " + MAX_BYTES + ")");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("servers file " + path + ": No such file or directory");
        } catch (IOException e) {
            throw new IllegalArgumentException("servers file " + path + ": " + e.getMessage());
        }
    }

    private List<Backend> parse(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("servers file " + path + ": not UTF-8 text (expected one server "
                    + "spec a line)");
        }
        List<Backend> servers = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String spec = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (spec.isEmpty()) {
                continue;
            }
            if (servers.size() == BalancerConfig.MAX_SLOTS) {
                throw new IllegalArgumentException("servers file " + path + " line " + (i + 1) + ": more than "
                        + BalancerConfig.MAX_SLOTS + " servers (expected at most " + BalancerConfig.MAX_SLOTS + ")");
            }
            servers.add(spec(spec, i + 1));
        }
        return List.copyOf(servers);
    }

    private Backend spec(String spec, int line) {
        try {
            if (spec.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("bad server spec '" + spec
                        + "' (expected one host[:port[:maxc[:hard[:weight[:prio]]]]] a line)");
            }
            if (defaultPort == 0 && spec.indexOf('/') < 0 && spec.indexOf(':') < 0) {
                throw new IllegalArgumentException("no port in '" + spec + "', and a Unix socket listener has none "
                        + "to lend (expected host:port)");
            }
            return Backend.parse(spec, defaultPort == 0 ? 1 : defaultPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("servers file " + path + " line " + line + ": " + e.getMessage());
        }
    }
}
