package dev.pen.launcher.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The files that commands read and write ({@code include}, {@code -F}, {@code write}, {@code log},
 * {@code status}): regular files only, so that a FIFO or a device can neither block the command (and the lock
 * every later command waits for) nor feed it without end; read with a size limit; replaced whole, so that a crash
 * never leaves half a file.
 */
public final class PlainFiles {
    /** The largest file of commands read: far above any real configuration. */
    public static final long MAX_COMMAND_FILE = 1 << 20;

    private PlainFiles() {
    }

    /**
     * The lines of {@code file}, read as pen reads its files (one byte a character).
     *
     * @throws IOException when it is missing, not a regular file, larger than {@link #MAX_COMMAND_FILE}, or unreadable
     */
    public static List<String> readCommands(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        requireRegular(file);
        long size = Files.size(file);
        if (size > MAX_COMMAND_FILE) {
            throw new IOException(size + " bytes (expected a file of commands of at most " + MAX_COMMAND_FILE
                    + " bytes)");
        }
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    }

    /**
     * Checks that {@code file} is a regular file, or a new one in an existing directory.
     *
     * @throws IOException naming what it is instead
     */
    public static void requireWritable(Path file) throws IOException {
        if (Files.exists(file)) {
            requireRegular(file);
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(file.toString(), null, "no such directory");
        }
    }

    /**
     * Replaces {@code file} with {@code text} (one byte a character) whole: written beside it, then moved over it.
     *
     * @throws IOException naming why not
     */
    public static void replace(Path file, String text) throws IOException {
        requireWritable(file);
        Path target = file.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.ISO_8859_1);
            keepPermissions(target, temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The new file gets the old one's permissions, or rw-r--r-- (a temporary file starts as rw-------). */
    private static void keepPermissions(Path target, Path temp) throws IOException {
        if (!Files.getFileStore(temp).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(temp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static void requireRegular(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            String what = Files.isDirectory(file) ? "a directory"
                    : Files.isSymbolicLink(file) && !Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "a broken link"
                    : "not a regular file (a FIFO, socket or device)";
            throw new IOException(what + " (expected a regular file)");
        }
    }
}
