package dev.pen.logtools.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Command-line options as glibc's {@code getopt} reads them, so that the tools take the same command lines as
 * pen's: clustered flags ({@code -cd}), an argument attached or separate ({@code -pfile}, {@code -p file}),
 * options after operands (glibc permutes), and {@code --} to end the options.
 */
public final class Getopt {

    /** One option found: its letter and its argument (null for a flag). */
    public record Option(char letter, String argument) {
    }

    /** The options in command-line order and the remaining operands. */
    public record Result(List<Option> options, List<String> operands) {
    }

    /** A bad command line: the message is glibc's wording without the program name. */
    public static final class BadOption extends Exception {
        public BadOption(String message) {
            super(message);
        }
    }

    private Getopt() {
    }

    /**
     * Parses {@code args} against a getopt spec such as {@code "p:a:j:t:cd"} (a letter followed by {@code :}
     * takes an argument).
     *
     * @throws BadOption for an unknown letter or a missing argument
     */
    public static Result parse(String spec, String[] args) throws BadOption {
        List<Option> options = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                for (int j = i + 1; j < args.length; j++) {
                    operands.add(args[j]);
                }
                break;
            }
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                operands.add(arg);
                continue;
            }
            for (int k = 1; k < arg.length(); k++) {
                char letter = arg.charAt(k);
                int at = letter == ':' ? -1 : spec.indexOf(letter);
                if (at < 0) {
                    throw new BadOption("invalid option -- '" + letter + "'");
                }
                boolean takesArgument = at + 1 < spec.length() && spec.charAt(at + 1) == ':';
                if (!takesArgument) {
                    options.add(new Option(letter, null));
                    continue;
                }
                if (k + 1 < arg.length()) {
                    options.add(new Option(letter, arg.substring(k + 1)));
                } else if (i + 1 < args.length) {
                    options.add(new Option(letter, args[++i]));
                } else {
                    throw new BadOption("option requires an argument -- '" + letter + "'");
                }
                break;
            }
        }
        return new Result(options, operands);
    }
}
