package dev.pen.launcher.cli;

import java.util.List;

/**
 * Parses pen's command line with the rules of glibc's getopt: single-letter options that may be clustered
 * ({@code -fdd}), an option's argument either attached ({@code -b30}) or in the next word ({@code -b 30}),
 * options and positional arguments in any order (getopt permutes), {@code --} ending the options.
 *
 * <p>Unlike pen, which reads numbers with atoi, every value is checked: a bad one is reported, naming the option,
 * the value and what was expected, and the command line is refused.
 */
public final class OptionParser {
    /** pen 0.34.1's option string (SSL build); a letter followed by ':' takes an argument. */
    public static final String OPTION_STRING = "B:C:F:O:S:T:b:c:e:i:j:l:m:o:p:q:t:u:w:x:DHNPQWXUadfhnrsE:K:G:A:ZRL:";

    private OptionParser() {
    }

    /**
     * Parses {@code args}.
     *
     * @throws CommandLineException for an unknown option, a missing or bad argument, or an option that ends the
     *     program (-i, which is Windows only)
     */
    public static Options parse(List<String> args) throws CommandLineException {
        Options o = new Options();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String word = args.get(i);
            if (optionsEnded || word.length() < 2 || word.charAt(0) != '-') {
                o.positional.add(word);
                continue;
            }
            if (word.equals("--")) {
                optionsEnded = true;
                continue;
            }
            for (int j = 1; j < word.length(); j++) {
                char letter = word.charAt(j);
                int at = letter == ':' ? -1 : OPTION_STRING.indexOf(letter);
                if (at < 0) {
                    throw CommandLineException.badOption("pen: invalid option -- '" + letter + "'");
                }
                boolean takesArgument = at + 1 < OPTION_STRING.length() && OPTION_STRING.charAt(at + 1) == ':';
                if (!takesArgument) {
                    flag(o, letter);
                    continue;
                }
                String value;
                if (j + 1 < word.length()) {
                    value = word.substring(j + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw CommandLineException.badOption("pen: option requires an argument -- '" + letter + "'");
                }
                withArgument(o, letter, value);
                break;
            }
        }
        return o;
    }

    private static void flag(Options o, char letter) throws CommandLineException {
        switch (letter) {
            case 'D' -> o.notices.add("Pen 0.26.0 removed the delayed forward feature,\nmaking the -D option obsolete");
            case 'Q' -> o.notices.add(
                    "Since Pen 0.26.0, kqueue is already the default on supported systems,\nmaking the -Q option obsolete");
            case 'n' -> o.notices.add(
                    "Pen 0.26.0 and up uses only nonblocking sockets,\nmaking the -n option obsolete");
            case 'N' -> throw CommandLineException.badOption(
                    "pen: -N (hash without saving the server) is not implemented by pen; use -h or -h -r");
            case 'H' -> o.http = true;
            case 'U' -> o.udp = true;
            case 'P' -> {
                o.poll = true;
                o.notices.add("pen: -P (poll) is not supported: the event loop is chosen by the JVM; carrying on");
            }
            case 'W' -> o.weight = true;
            case 'X' -> o.exitEnabled = true;
            case 'a' -> o.ascii = true;
            case 'd' -> o.debug++;
            case 'f' -> o.foreground = true;
            case 'h' -> o.hash = true;
            case 'r' -> o.roundRobin = true;
            case 's' -> o.stubborn = true;
            case 'Z' -> o.tlsCompat = true;
            case 'R' -> o.tlsRequireClientCert = true;
            default -> throw new IllegalStateException("option -" + letter + " has no handler");
        }
    }

    private static void withArgument(Options o, char letter, String value) throws CommandLineException {
        switch (letter) {
            case 'B' -> o.abuseServer = nonEmpty(letter, value, "host[:port]");
            case 'C' -> o.control = nonEmpty(letter, value, "[addr:]port or a socket path");
            case 'F' -> o.configFile = nonEmpty(letter, value, "a file name");
            case 'O', 'o' -> o.commands.add(value);
            case 'S' -> {
                number(letter, value, 0, "a number of servers");
                o.notices.add("As of 0.28.1 the server table is expanded dynamically,\nmaking the -S option obsolete");
            }
            case 'T' -> o.trackingSeconds = number(letter, value, 0, "seconds, 0 or more (0 = forever)");
            case 'b' -> o.blacklistSeconds = number(letter, value, 0, "seconds, 0 or more");
            case 'c' -> o.clients = Math.max(o.clients, number(letter, value, 1, "a number of clients, 1 or more"));
            case 'e' -> o.emergencyServer = nonEmpty(letter, value, "host[:port]");
            case 'i' -> throw new CommandLineException("Windows only", 0, false);
            case 'j' -> o.chrootDir = nonEmpty(letter, value, "a directory");
            case 'l' -> o.log = nonEmpty(letter, value, "a file name or host:port");
            case 'm' -> {
                int n = number(letter, value, Integer.MIN_VALUE, "a number of connections");
                if (n < 1) {
                    o.notices.add("multi_accept bumped to 1");
                    n = 1;
                }
                o.multiAccept = n;
            }
            case 'p' -> o.pidFile = nonEmpty(letter, value, "a file name");
            case 'q' -> {
                int n = number(letter, value, Integer.MIN_VALUE, "a backlog length");
                if (n < 50) {
                    o.notices.add("listen_queue bumped to 50");
                    n = 50;
                }
                o.listenQueue = n;
            }
            case 't' -> o.timeoutSeconds = number(letter, value, 1, "seconds, 1 or more");
            case 'u' -> o.user = nonEmpty(letter, value, "a user name");
            case 'w' -> o.webStats = nonEmpty(letter, value, "a file name");
            case 'x' -> o.connections =
                    Math.max(o.connections, number(letter, value, 1, "a number of connections, 1 or more"));
            case 'E' -> o.tlsCertificate = nonEmpty(letter, value, "a PEM certificate file");
            case 'K' -> o.tlsKey = nonEmpty(letter, value, "a PEM key file");
            case 'G' -> o.tlsCaFile = nonEmpty(letter, value, "a CA certificate file");
            case 'A' -> o.tlsCaDir = nonEmpty(letter, value, "a CA certificate directory");
            case 'L' -> {
                // pen's four names only; ssl2 and ssl3 are warned about when TLS starts (TLS 1.2 is the floor).
                switch (value) {
                    case "ssl23", "ssl2", "ssl3", "tls1" -> o.tlsProtocol = value;
                    default -> throw new CommandLineException("protocol version " + value + " not known", 1, false);
                }
            }
            default -> throw new IllegalStateException("option -" + letter + " has no handler");
        }
    }

    private static String nonEmpty(char letter, String value, String expected) throws CommandLineException {
        if (value.isEmpty()) {
            throw CommandLineException.badValue("pen: -" + letter + ": empty value (expected " + expected + ")");
        }
        return value;
    }

    private static int number(char letter, String value, int min, String expected) throws CommandLineException {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw CommandLineException.badValue("pen: -" + letter + ": unexpected value '" + value + "' (expected "
                    + expected + ")");
        }
        if (n < min) {
            throw CommandLineException.badValue("pen: -" + letter + ": unexpected value " + n + " (expected "
                    + expected + ")");
        }
        return n;
    }
}
