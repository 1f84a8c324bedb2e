package dev.pen.launcher.control;

import dev.pen.api.BalancerConfig;
import dev.pen.api.TlsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * pen's {@code ssl_*} commands, acted on where TLS is on ({@code -E}): each changes the one {@link TlsSettings} of
 * the configuration, and the balancer builds the new contexts for connections accepted from then on (a cipher,
 * file or directory it cannot use is refused and nothing changes). Without {@code -E} they are refused, since there
 * is no TLS for them to change.
 */
final class TlsCommands {
    private static final String OPTIONS = String.join(", ", TlsSettings.OPTIONS);

    private TlsCommands() {
    }

    static List<Command> all(ControlHost host) {
        List<Command> all = new ArrayList<>();
        all.add(tls("ssl_ciphers", "[LIST]: the TLS 1.2 cipher suites, OpenSSL or IANA names joined by ':' "
                + "(none: the defaults)", (t, w) -> t.withCiphers(w.arg(0))));
        all.add(tls("ssl_option", "OPTION: " + OPTIONS + " (no_tlsv1.2 leaves TLS 1.3 only)",
                (t, w) -> t.withOption(w.required(0, "one of " + OPTIONS), true)));
        all.add(tls("no ssl_option", "OPTION: undo an ssl_option",
                (t, w) -> t.withOption(w.required(0, "one of " + OPTIONS), false)));
        all.add(tls("ssl_sni_path", "DIR: certificates by server name: DIR/NAME.crt, .key, .ca, .ocsp",
                (t, w) -> t.withSniDirectory(Path.of(w.required(0, "a directory")))));
        all.add(tls("no ssl_sni_path", "", (t, w) -> t.withSniDirectory(null)));
        all.add(new Command("ssl_ocsp_response", "FILE: the DER OCSP response to staple (read again when repeated)",
                (c, w) -> {
                    TlsSettings t = tlsOf(c, w);
                    Path file = Path.of(w.required(0, "a DER OCSP response file"));
                    if (file.equals(t.ocspResponse())) {
                        // pen reads the file again whenever the command is repeated.
                        host.reloadTls();
                        return Command.Outcome.reply(c, "");
                    }
                    return Command.Outcome.reply(c.toBuilder().tls(t.withOcspResponse(file)).build(), "");
                }));
        all.add(tls("no ssl_ocsp_response", "", (t, w) -> t.withOcspResponse(null)));
        all.add(tls("ssl_client_renegotiation_interval", "SECONDS: kept for write; clients may never renegotiate",
                (t, w) -> {
                    int s = w.number(0, 0, Integer.MAX_VALUE, "seconds, 0 or more");
                    host.debug(1, "ssl_client_renegotiation_interval: clients may never renegotiate here, whatever "
                            + "the interval");
                    return t.withRenegotiationInterval(s);
                }));
        return all;
    }

    /** The {@code ssl_*} lines {@code write} gives for {@code tls} (none without TLS, or for pen's defaults). */
    static void write(StringBuilder s, TlsSettings tls) {
        if (tls == null) {
            return;
        }
        if (tls.ciphers() != null) {
            s.append("ssl_ciphers ").append(tls.ciphers()).append('\n');
        }
        if (tls.renegotiationInterval() != TlsSettings.DEFAULT_RENEGOTIATION_INTERVAL) {
            s.append("ssl_client_renegotiation_interval ").append(tls.renegotiationInterval()).append('\n');
        }
        if (tls.ocspResponse() != null) {
            s.append("ssl_ocsp_response ").append(tls.ocspResponse()).append('\n');
        }
        for (String option : tls.options()) {
            s.append("ssl_option ").append(option).append('\n');
        }
        if (tls.sniDirectory() != null) {
            s.append("ssl_sni_path ").append(tls.sniDirectory()).append('\n');
        }
    }

    private static Command tls(String name, String help, BiFunction<TlsSettings, Words, TlsSettings> change) {
        return Command.change(name, help, (c, w) -> c.toBuilder().tls(change.apply(tlsOf(c, w), w)).build());
    }

    private static TlsSettings tlsOf(BalancerConfig c, Words w) {
        if (c.tls() == null) {
            throw new BadArgument(w.name() + ": TLS is off (expected -E CERTFILE on the command line to turn it on)");
        }
        return c.tls();
    }
}
