package dev.pen.launcher.control;

import dev.pen.api.AccessList;
import dev.pen.api.BalancerConfig;
import dev.pen.launcher.control.Command.Outcome;
import java.util.List;

/** pen's ten access lists and the ACL numbers that guard clients, the control port and the tarpit. */
final class AclCommands {
    private static final String ACL_NUMBER = "an acl number 0..9";

    private AclCommands() {
    }

    static List<Command> all(Settings settings) {
        return List.of(
                Command.change("acl", "N permit|deny ADDRESS [MASK]: append an entry to access list N", AclCommands::acl),
                Command.change("no acl", "N: empty access list N", (c, w) -> c.toBuilder()
                        .accessList(w.number(0, 0, AccessList.LISTS - 1, ACL_NUMBER), AccessList.empty()).build()),
                new Command("client_acl", "[N]: the access list new clients must pass", (c, w) -> {
                    BalancerConfig next = w.arg(0) == null ? c
                            : c.toBuilder().clientAcl(w.number(0, 0, AccessList.LISTS - 1, ACL_NUMBER)).build();
                    return Outcome.reply(next, next.clientAcl() + "\n");
                }),
                Command.query("control_acl", "[N]: the access list control clients must pass", w -> {
                    settings.controlAcl = w.number(0, 0, AccessList.LISTS - 1, ACL_NUMBER, settings.controlAcl);
                    return settings.controlAcl + "\n";
                }),
                // The tarpit is part of direct server return, which this balancer does not have; the query keeps
                // pen's reply (no newline).
                Command.query("tarpit_acl", "direct server return's tarpit (not supported)", w -> {
                    if (w.arg(0) != null) {
                        return "tarpit_acl: direct server return is not supported by this balancer; ignored\n";
                    }
                    return "tarpit_acl = -1";
                }));
    }

    private static BalancerConfig acl(BalancerConfig c, Words w) {
        if (w.count() < 3) {
            throw new BadArgument("acl: expected acl N permit|deny ADDRESS [MASK]");
        }
        int n = Words.number("acl", w.arg(0), 0, AccessList.LISTS - 1, ACL_NUMBER);
        if (w.arg(2).equals("country")) {
            throw new BadArgument("acl: country ACLs (GeoIP) are not supported; entry ignored");
        }
        AccessList.Entry entry = AccessList.Entry.parse(w.arg(1), w.arg(2), w.arg(3));
        return c.toBuilder().accessList(n, c.accessLists().get(n).with(entry)).build();
    }
}
