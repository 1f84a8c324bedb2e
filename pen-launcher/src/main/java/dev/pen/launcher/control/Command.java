package dev.pen.launcher.control;

import dev.pen.api.BalancerConfig;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One entry of pen's command language: its name ({@code hash}; {@code no hash} for the negative form), a line of
 * help, and its handler. Each feature registers its own entries beside the code they act on.
 */
record Command(String name, String help, Handler handler) {

    /**
     * What a command does: from the configuration in force and the command's words, the configuration afterwards
     * and the reply. The interpreter applies a changed configuration with one update and runs
     * {@link Outcome#applied()} only once the update was accepted.
     */
    @FunctionalInterface
    interface Handler {
        Outcome run(BalancerConfig config, Words words);
    }

    /**
     * The result of a command: the next configuration ({@code config} itself when the command changes nothing in it),
     * the reply text, and what to do once the new configuration is in force (the launcher's own record of it).
     */
    record Outcome(BalancerConfig config, String reply, Runnable applied) {
        static Outcome reply(BalancerConfig config, String reply) {
            return new Outcome(config, reply, () -> { });
        }
    }

    /** A command that only answers or acts outside the configuration: {@code words -> reply}. */
    static Command query(String name, String help, Function<Words, String> answer) {
        return new Command(name, help, (config, words) -> Outcome.reply(config, answer.apply(words)));
    }

    /** A command that changes the configuration and replies nothing. */
    static Command change(String name, String help, BiFunction<BalancerConfig, Words, BalancerConfig> change) {
        return new Command(name, help, (config, words) -> Outcome.reply(change.apply(config, words), ""));
    }

    /** A command that changes the configuration through its builder, whatever its words, and replies nothing. */
    static Command set(String name, String help, UnaryOperator<BalancerConfig.Builder> change) {
        return change(name, help, (config, words) -> change.apply(config.toBuilder()).build());
    }
}
