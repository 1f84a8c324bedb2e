package dev.pen.launcher.control;

import dev.pen.api.Services;

/**
 * One command line cut into words as pen's strtok does (on spaces only), seen from the command that runs it: its
 * name ({@code hash}, or {@code no hash} for the negative form) and its arguments after the name.
 */
final class Words {
    private final String[] all;
    private final int first;

    private Words(String[] all, int first) {
        this.all = all;
        this.first = first;
    }

    /** The words of {@code line}; empty for a blank line. */
    static String[] split(String line) {
        return java.util.Arrays.stream(line.split(" ")).filter(w -> !w.isEmpty()).toArray(String[]::new);
    }

    /** The command {@code words} name: pen's {@code no X} is the command {@code no X}, everything else its first word. */
    static Words of(String[] words) {
        return new Words(words, words[0].equals("no") && words.length > 1 ? 2 : 1);
    }

    /** The command's name as the table knows it. */
    String name() {
        return String.join(" ", java.util.Arrays.asList(all).subList(0, first));
    }

    /** Argument {@code i} (0 = the first after the name), or null when there are fewer. */
    String arg(int i) {
        return first + i < all.length ? all[first + i] : null;
    }

    /** The number of arguments. */
    int count() {
        return all.length - first;
    }

    /** Argument {@code i}, which must be there. */
    String required(int i, String expected) {
        String a = arg(i);
        if (a == null) {
            throw new BadArgument(name() + ": missing argument (expected " + expected + ")");
        }
        return a;
    }

    /** Argument {@code i} as a number from {@code min} to {@code max}; it must be there. */
    int number(int i, int min, int max, String expected) {
        return number(name(), required(i, expected), min, max, expected);
    }

    /** Argument {@code i} as a number, or {@code absent} when there is none. */
    int number(int i, int min, int max, String expected, int absent) {
        return arg(i) == null ? absent : number(i, min, max, expected);
    }

    static int number(String what, String text, int min, int max, String expected) {
        if (text == null) {
            throw new BadArgument(what + ": missing argument (expected " + expected + ")");
        }
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadArgument(what + ": unexpected value '" + text + "' (expected " + expected + ")");
        }
        if (n < min || n > max) {
            throw new BadArgument(what + ": unexpected value " + n + " (expected " + expected + ")");
        }
        return n;
    }

    /** A TCP port number or service name. */
    static int port(String what, String text) {
        try {
            return Services.port(text, "tcp");
        } catch (IllegalArgumentException e) {
            throw new BadArgument(what + ": " + e.getMessage());
        }
    }
}
