package dev.pen.logtools.resolve;

import java.io.PrintStream;

/** What webresolve counted, written by {@code -s} in the layout of Apache's logresolve. */
final class ResolveStats {
    long entries;
    long withName;
    long resolves;
    long noReverse;
    long timedOut;
    long notConfirmed;
    long cacheHits;
    long cacheSize;

    void count(Lookup lookup) {
        switch (lookup.outcome()) {
            case NO_NAME -> noReverse++;
            case TIMED_OUT -> timedOut++;
            case NOT_CONFIRMED -> notConfirmed++;
            case NAME -> { }
        }
    }

    void print(PrintStream out, String program) {
        out.println(program + " Statistics:");
        out.println("Entries: " + entries);
        out.println("    With name   : " + withName);
        out.println("    Resolves    : " + resolves);
        if (noReverse > 0) {
            out.println("    - No reverse : " + noReverse);
        }
        if (timedOut > 0) {
            out.println("    - Timed out : " + timedOut);
        }
        if (notConfirmed > 0) {
            out.println("    - Double lookup failed : " + notConfirmed);
        }
        out.println("Cache hits      : " + cacheHits);
        out.println("Cache size      : " + cacheSize);
    }
}
