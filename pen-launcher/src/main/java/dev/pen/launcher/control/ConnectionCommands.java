package dev.pen.launcher.control;

import java.util.List;

/** pen's commands about clients and connections: {@code recent}, {@code connection}, {@code close}, {@code socket}. */
final class ConnectionCommands {
    private ConnectionCommands() {
    }

    static List<Command> all(ControlHost host) {
        return List.of(
                Command.query("recent", "[SECONDS]: clients seen in the last SECONDS (default 300)", w ->
                        Replies.recent(host.live().clients(), w.number(0, 0, Integer.MAX_VALUE, "seconds, 0 or more", 300))),
                Command.query("connection", "N: show connection N", w ->
                        Replies.connection(host.live().connections(),
                                w.number(0, 0, Integer.MAX_VALUE, "a connection number", 0))),
                Command.query("close", "N: close connection N", w -> {
                    int n = w.number(0, Integer.MIN_VALUE, Integer.MAX_VALUE, "a connection number", 0);
                    if (n < 0 || !host.live().closeConnection(n)) {
                        return "Connection " + n + " out of range\n";
                    }
                    return "Forcibly closing connection " + n + "\n";
                }),
                // The JVM shows no file descriptors, so no socket belongs to a connection.
                Command.query("socket", "N: the connection socket N belongs to", w -> "Socket "
                        + w.number(0, Integer.MIN_VALUE, Integer.MAX_VALUE, "a socket number", 0)
                        + " belongs to connection -1\n"));
    }
}
