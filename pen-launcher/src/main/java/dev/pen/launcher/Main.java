package dev.pen.launcher;

import java.util.Arrays;
import java.util.List;

/**
 * {@code pen [options] [host:]port|path server1 [server2 ...]}: pen's command line on the JVM. The {@code bin/pen}
 * script runs this class; it goes to the background itself (the JVM cannot fork) once this process reports that
 * its arguments are good and its sockets are bound.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        int status = new Launcher(arguments, System.out, System.err, System.getenv("PEN_READY_FILE")).run();
        System.exit(status);
    }
}
