package dev.pen.logtools.resolve;

/**
 * {@code splitwr FILE > FILE.resolved}: the HOWTO's way to resolve a log with many lookups in parallel. The
 * lookups of webresolve already run in parallel, so splitwr is webresolve that insists on a FILE; the output is
 * byte for byte webresolve's.
 */
public final class Splitwr {

    private Splitwr() {
    }

    public static void main(String[] args) {
        System.exit(Webresolve.run("splitwr", args, System.in, System.out, System.err));
    }
}
