package dev.pen.api.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Command-line options read as glibc's {@code getopt_long} reads them, so that pen and its tools take the same
 * command lines as pen's C programs: single letters that may be clustered ({@code -fdd}), a letter's argument
 * attached or in the next word ({@code -b30}, {@code -b 30}), long options with their argument after {@code =} or
 * in the next word ({@code --dns=ns1}, {@code --dns ns1}), options anywhere among the operands (glibc permutes),
 * {@code --} ending the options, and glibc's messages for a bad option. Long option names must be given in full.
 * Without long options, {@code --name} is read as letters, as plain {@code getopt} does.
 *
 * <p>Options are read one at a time with {@link #next()}, so that a program can act on each in command-line order
 * (and report the first problem first, as a C program does); {@link #parse} reads them all at once. Not
 * thread-safe: one instance reads one command line.
 */
public final class Getopt {

    /** A long option: its name without the dashes, and whether it takes an argument. */
    public record LongOption(String name, boolean takesArgument) {
        /** Checks the name: two characters or more, no {@code =}, not starting with {@code -}. */
        public LongOption {
            Objects.requireNonNull(name, "name");
            if (name.length() < 2 || name.indexOf('=') >= 0 || name.startsWith("-")) {
                throw new IllegalArgumentException("bad long option name '" + name
                        + "' (expected two characters or more, without '=' or a leading '-')");
            }
        }
    }

    /**
     * One option found: a letter ({@code "d"}) or a long name ({@code "dns"}), and its argument (null for one that
     * takes none).
     */
    public record Option(String name, String argument) {
        /** A letter option. */
        public static Option of(char letter, String argument) {
            return new Option(String.valueOf(letter), argument);
        }

        /** True for a long option. */
        public boolean isLong() {
            return name.length() > 1;
        }

        /** The letter of a letter option; {@code '\0'} for a long one. */
        public char letter() {
            return isLong() ? '\0' : name.charAt(0);
        }
    }

    /** The options in command-line order and the operands left. */
    public record Result(List<Option> options, List<String> operands) {
    }

    /** What is wrong with a bad option. */
    public enum Problem {
        /** A letter or long name that is not known. */
        UNKNOWN,
        /** An option that takes an argument came last. */
        MISSING_ARGUMENT,
        /** A long option that takes no argument was given one with {@code =}. */
        UNEXPECTED_ARGUMENT
    }

    /** A bad option: the message is glibc's wording without the program name. */
    public static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;

        private final Problem problem;
        private final String option;

        BadOption(Problem problem, String option, String message) {
            super(message, null, false, false);
            this.problem = problem;
            this.option = option;
        }

        /** What is wrong. */
        public Problem problem() {
            return problem;
        }

        /** The option as written, without any argument: {@code -x} or {@code --name}. */
        public String option() {
            return option;
        }
    }

    /** {@code --help}, which every program of pen's takes: print the usage on stdout and exit 0. */
    public static final LongOption HELP = new LongOption("help", false);
    /** {@code --version}, which every program of pen's takes: print {@link Version#line} on stdout and exit 0. */
    public static final LongOption VERSION = new LongOption("version", false);

    private final String letters;
    private final List<LongOption> longOptions;
    private final List<String> args;
    private final List<String> operands = new ArrayList<>();
    private int index;
    private String cluster;
    private int position;

    /**
     * Reads {@code args} against {@code letters}, a getopt spec such as {@code "p:j:cd"} (a letter followed by
     * {@code :} takes an argument), and {@code longOptions}.
     */
    public Getopt(String letters, List<LongOption> longOptions, List<String> args) {
        this.letters = Objects.requireNonNull(letters, "letters");
        this.longOptions = List.copyOf(longOptions);
        this.args = List.copyOf(args);
    }

    /** Reads every option of {@code args} against a spec of letters, without long options. */
    public static Result parse(String letters, String[] args) throws BadOption {
        return parse(letters, List.of(), args);
    }

    /** Reads every option of {@code args}; see {@link #Getopt(String, List, List)}. */
    public static Result parse(String letters, List<LongOption> longOptions, String[] args) throws BadOption {
        Getopt getopt = new Getopt(letters, longOptions, List.of(args));
        List<Option> options = new ArrayList<>();
        for (Option o = getopt.next(); o != null; o = getopt.next()) {
            options.add(o);
        }
        return new Result(List.copyOf(options), getopt.operands());
    }

    /**
     * The next option, or null when there is none left (then {@link #operands()} holds them all).
     *
     * @throws BadOption for an unknown option, a missing argument, or an argument to a long option taking none
     */
    public Option next() throws BadOption {
        if (cluster != null) {
            return letter();
        }
        while (index < args.size()) {
            String arg = args.get(index++);
            if (arg.equals("--")) {
                operands.addAll(args.subList(index, args.size()));
                index = args.size();
            } else if (arg.startsWith("--") && !longOptions.isEmpty()) {
                return longOption(arg);
            } else if (arg.length() < 2 || arg.charAt(0) != '-') {
                operands.add(arg);
            } else {
                cluster = arg;
                position = 1;
                return letter();
            }
        }
        return null;
    }

    /** The operands, in order, once {@link #next()} has returned null; those seen so far before that. */
    public List<String> operands() {
        return List.copyOf(operands);
    }

    private Option letter() throws BadOption {
        char letter = cluster.charAt(position++);
        boolean last = position >= cluster.length();
        int at = letter == ':' ? -1 : letters.indexOf(letter);
        if (at < 0) {
            cluster = last ? null : cluster;
            throw new BadOption(Problem.UNKNOWN, "-" + letter, "invalid option -- '" + letter + "'");
        }
        boolean takesArgument = at + 1 < letters.length() && letters.charAt(at + 1) == ':';
        if (!takesArgument) {
            cluster = last ? null : cluster;
            return Option.of(letter, null);
        }
        String rest = cluster.substring(position);
        cluster = null;
        if (!last) {
            return Option.of(letter, rest);
        }
        if (index < args.size()) {
            return Option.of(letter, args.get(index++));
        }
        throw new BadOption(Problem.MISSING_ARGUMENT, "-" + letter, "option requires an argument -- '" + letter + "'");
    }

    private Option longOption(String arg) throws BadOption {
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
        LongOption known = longOptions.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
        if (known == null) {
            throw new BadOption(Problem.UNKNOWN, "--" + name, "unrecognized option '" + arg + "'");
        }
        if (!known.takesArgument()) {
            if (equals >= 0) {
                throw new BadOption(Problem.UNEXPECTED_ARGUMENT, "--" + name,
                        "option '--" + name + "' doesn't allow an argument");
            }
            return new Option(name, null);
        }
        if (equals >= 0) {
            return new Option(name, arg.substring(equals + 1));
        }
        if (index < args.size()) {
            return new Option(name, args.get(index++));
        }
        throw new BadOption(Problem.MISSING_ARGUMENT, "--" + name, "option '--" + name + "' requires an argument");
    }
}
