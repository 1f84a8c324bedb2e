package dev.pen.launcher.cli;

import dev.pen.api.MaglevStrategy;
import dev.pen.api.Strategy;

/**
 * The selection strategy as the launcher writes it, one grammar for {@code --strategy} with
 * {@code --maglev-table-size}, the {@code strategy} command and {@code write}: {@code pen} (pen's modes, the
 * default), {@code maglev} (Maglev consistent hashing, {@link MaglevStrategy#DEFAULT_TABLE_SIZE} entries) or
 * {@code maglev N} (N entries, a prime).
 */
public final class StrategyText {
    /** What a table size must be, for errors. */
    public static final String EXPECTED_SIZE = "a prime from " + MaglevStrategy.MIN_TABLE_SIZE + " to "
            + MaglevStrategy.MAX_TABLE_SIZE;

    private StrategyText() {
    }

    /**
     * The strategy named {@code name}, with {@code tableSize} (null when not given) for maglev.
     *
     * @throws IllegalArgumentException naming a bad name or size and what was expected
     */
    public static Strategy parse(String name, String tableSize) {
        switch (name) {
            case "pen" -> {
                if (tableSize != null) {
                    throw new IllegalArgumentException("unexpected '" + tableSize + "' after pen (expected nothing)");
                }
                return Strategy.penModes();
            }
            case "maglev" -> {
                return tableSize == null ? Strategy.maglev() : Strategy.maglev(tableSize(tableSize));
            }
            default -> throw new IllegalArgumentException("unexpected strategy '" + name + "' (expected pen or maglev)");
        }
    }

    /**
     * A Maglev table size: a prime within the bounds.
     *
     * @throws IllegalArgumentException naming the value and what was expected
     */
    public static int tableSize(String text) {
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected Maglev table size '" + text + "' (expected " + EXPECTED_SIZE
                    + ")");
        }
        return new MaglevStrategy(n).tableSize();
    }

    /** The text that {@link #parse} reads back to {@code s}: {@code pen}, {@code maglev} or {@code maglev N}. */
    public static String format(Strategy s) {
        if (s instanceof MaglevStrategy m) {
            return m.tableSize() == MaglevStrategy.DEFAULT_TABLE_SIZE ? "maglev" : "maglev " + m.tableSize();
        }
        return s.equals(Strategy.penModes()) ? "pen" : s.toString();
    }
}
