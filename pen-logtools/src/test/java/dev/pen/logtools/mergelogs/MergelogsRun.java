package dev.pen.logtools.mergelogs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of mergelogs: exit status, stdout and stderr. */
record MergelogsRun(int status, String out, String err) {

    static MergelogsRun of(String... args) {
        return withProgress(false, Mergelogs.PROGRESS_THRESHOLD, args);
    }

    static MergelogsRun withProgress(boolean terminal, long threshold, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Mergelogs.run(args, out, new PrintStream(err, true, StandardCharsets.ISO_8859_1), terminal,
            threshold);
        return new MergelogsRun(status, out.toString(StandardCharsets.ISO_8859_1),
            err.toString(StandardCharsets.ISO_8859_1));
    }
}
