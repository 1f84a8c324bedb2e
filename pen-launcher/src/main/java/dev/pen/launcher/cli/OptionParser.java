package dev.pen.launcher.cli;

import dev.pen.api.cli.Getopt;
import java.util.List;

/**
 * Parses pen's command line with the shared {@link Getopt} (glibc's rules: clustered letters {@code -fdd}, an
 * argument attached {@code -b30} or separate {@code -b 30}, options and positional arguments in any order,
 * {@code --} ending the options), and gives each option pen's meaning. Long options ({@code --name value} or
 * {@code --name=value}) come from {@link LongOptions}.
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
     * Parses {@code args}, each option in turn, so that the first problem on the line is the one reported. Stops at
     * {@code --help} or {@code --version}, which set {@link Options#help} or {@link Options#version}.
     *
     * @throws CommandLineException for an unknown option, a missing or bad argument, or an option that ends the
     *     program (-i, which is Windows only)
     */
    public static Options parse(List<String> args) throws CommandLineException {
        Options o = new Options();
        Getopt getopt = new Getopt(OPTION_STRING, LongOptions.getopt(), args);
        try {
            Getopt.Option option;
            while (!o.help && !o.version && (option = getopt.next()) != null) {
                if (option.isLong()) {
                    LongOptions.apply(o, option);
                } else if (option.argument() == null) {
                    flag(o, option.letter());
                } else {
                    withArgument(o, option.letter(), option.argument());
                }
            }
        } catch (Getopt.BadOption e) {
            throw CommandLineException.badOption("pen: " + e.getMessage());
        }
        if (!o.help && !o.version && o.maglevTableSize != 0 && !o.strategy.equals("maglev")) {
            throw CommandLineException.badValue("pen: --maglev-table-size: unexpected with --strategy " + o.strategy
                    + " (expected --strategy maglev)");
        }
        o.positional.addAll(getopt.operands());
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
                if (n > dev.pen.api.BalancerConfig.MAX_COUNT) {
                    throw CommandLineException.badValue("pen: -m: unexpected value " + n + " (expected at most "
                            + dev.pen.api.BalancerConfig.MAX_COUNT + ")");
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
        return nonEmpty("-" + letter, value, expected);
    }

    private static int number(char letter, String value, int min, String expected) throws CommandLineException {
        return number("-" + letter, value, min, expected);
    }

    /** {@code value}, refused when empty; {@code option} as written ({@code -b}, {@code --admin}). */
    static String nonEmpty(String option, String value, String expected) throws CommandLineException {
        if (value.isEmpty()) {
            throw CommandLineException.badValue("pen: " + option + ": empty value (expected " + expected + ")");
        }
        return value;
    }

    /** {@code value} as a number of at least {@code min}; {@code option} as written ({@code -b}, {@code --grace}). */
    static int number(String option, String value, int min, String expected) throws CommandLineException {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw CommandLineException.badValue("pen: " + option + ": unexpected value '" + value + "' (expected "
                    + expected + ")");
        }
        if (n < min) {
            throw CommandLineException.badValue("pen: " + option + ": unexpected value " + n + " (expected "
                    + expected + ")");
        }
        return n;
    }
}
