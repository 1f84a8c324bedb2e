package dev.pen.launcher.log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Where {@link Diagnostics} lines end up: a stream (stderr in the foreground), the debug file, or syslog through a
 * {@code logger} process. Written only by the diagnostics' own writer thread.
 */
interface DiagnosticSink {
    void write(String stampedLine) throws IOException;

    default void flush() throws IOException {
    }

    default void close() {
    }

    /** A line without pen's stamp. */
    default void writeRaw(String line) throws IOException {
        write(line);
    }

    /** Ends the output at once, from another thread, so that a writer stuck on it gets an error. */
    default void abort() {
    }

    final class ToStream implements DiagnosticSink {
        private final PrintStream out;

        ToStream(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(String line) {
            out.println(line);
        }

        @Override
        public void flush() {
            out.flush();
        }
    }

    final class ToFile implements DiagnosticSink {
        private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        final Path file;
        private final OutputStream out;

        private ToFile(Path file, OutputStream out) {
            this.file = file;
            this.out = out;
        }

        static ToFile open(Path file) {
            try {
                // A FIFO or a device would block or misbehave; a link is refused by the open itself.
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException(Files.isSymbolicLink(file) ? "a symbolic link" : "not a regular file");
                }
                SeekableByteChannel channel = Files.newByteChannel(file, APPEND, OWNER_ONLY);
                return new ToFile(file, new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 14));
            } catch (IOException | UnsupportedOperationException e) {
                String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                        : e.getMessage();
                throw new IllegalArgumentException("can't open debug file " + file + ": " + why
                        + " (expected a regular file, not a link)");
            }
        }

        @Override
        public void write(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                // Closing after the last flush; nothing left to tell.
            }
        }
    }

    /** One long-lived {@code logger} process reading lines: syslog without native code. */
    final class ToLogger implements DiagnosticSink {
        private final Process process;
        private final OutputStream in;

        ToLogger() throws IOException {
            this(List.of("logger", "-t", "pen", "-p", "user.debug"));
        }

        ToLogger(List<String> command) throws IOException {
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            in = process.getOutputStream();
        }

        @Override
        public void write(String line) throws IOException {
            // syslog stamps its own time; send the text after pen's stamp.
            int cut = line.indexOf(": ");
            in.write((line.substring(cut + 2) + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void writeRaw(String line) throws IOException {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void flush() throws IOException {
            in.flush();
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // logger ends on end of input; nothing else to do.
            }
            process.destroy();
        }

        @Override
        public void abort() {
            // A write blocked on the full pipe fails once the reader is gone.
            process.destroyForcibly();
        }
    }
}
