package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.cli.Getopt;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * pen-api's parsers: whatever they are given, they answer a value or their own error
 * ({@link IllegalArgumentException} naming the input), and a value printed parses back to itself.
 */
class ParserPropertiesTest {

    /** Text made mostly of the characters these grammars use, so that the parsers go deep, and a few others. */
    @Provide
    Arbitrary<String> addressLike() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEF:.[]/%-_ xyz\t\n\u00e9")
                .ofMaxLength(60);
    }

    @Property(tries = 2000)
    void aServerSpecParsesOrIsNamedAsBad(@ForAll("addressLike") String spec) {
        try {
            Backend b = Backend.parse(spec, 80);
            assertThat(Backend.parse(b.toString(), 80)).isEqualTo(b);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void aListenAddressParsesOrIsNamedAsBad(@ForAll("addressLike") String text) {
        try {
            Address a = Address.parseListen(text, "tcp");
            assertThat(Address.parseListen(a.toString(), "tcp")).isEqualTo(a);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void hostPortParsesOrIsNamedAsBad(@ForAll("addressLike") String text) {
        try {
            HostPort.parse(text);
            HostPort.parse(text, "80");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        HostPort.ipLiteral(text).ifPresent(a -> assertThat(HostPort.ipLiteral(a.getHostAddress())).hasValue(a));
    }

    @Provide
    Arbitrary<Backend> backends() {
        Arbitrary<String> hosts = Arbitraries.of("a", "host.example", "10.0.0.1", "::1", "fe80::2");
        Arbitrary<Integer> ports = Arbitraries.integers().between(1, 65535);
        Arbitrary<Integer> counts = Arbitraries.integers().between(0, 100_000);
        Arbitrary<OptionalInt> weights = Arbitraries.integers().between(0, 1000).optional()
                .map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
        Arbitrary<Integer> prios = Arbitraries.integers().between(-1000, 1000);
        return Combinators.combine(hosts, ports, counts, counts, weights, prios)
                .as((h, p, max, hard, w, prio) -> new Backend(Address.of(h, p), max, hard, w, prio, 0));
    }

    @Property(tries = 1000)
    void aServerPrintedAsPenWritesItReadsBackTheSame(@ForAll("backends") Backend b) {
        assertThat(Backend.parse(b.toString(), 9)).isEqualTo(b);
    }

    @Provide
    Arbitrary<AccessList.Entry> aclEntries() {
        Arbitrary<String> v4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(l -> l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3));
        Arbitrary<String> masks = Arbitraries.integers().between(0, 32)
                .map(n -> {
                    long m = n == 0 ? 0 : 0xFFFFFFFFL << (32 - n) & 0xFFFFFFFFL;
                    return (m >>> 24) + "." + (m >>> 16 & 255) + "." + (m >>> 8 & 255) + "." + (m & 255);
                });
        Arbitrary<AccessList.Entry> ipv4 = Combinators.combine(Arbitraries.of("permit", "deny"), v4, masks)
                .as(AccessList.Entry::parse);
        Arbitrary<AccessList.Entry> ipv6 = Combinators.combine(Arbitraries.of("permit", "deny"),
                Arbitraries.of("::1", "fe80::", "2001:db8::", "::"), Arbitraries.integers().between(0, 128))
                .as((verb, a, len) -> AccessList.Entry.parse(verb, a + "/" + len, null));
        return Arbitraries.oneOf(ipv4, ipv6);
    }

    @Property(tries = 1000)
    void anAclEntryPrintedAsWriteWritesItReadsBackTheSame(@ForAll("aclEntries") AccessList.Entry e) {
        String[] words = e.toString().split(" ");
        assertThat(AccessList.Entry.parse(words[0], words[1], words.length > 2 ? words[2] : null)).isEqualTo(e);
    }

    @Property(tries = 2000)
    void anAclEntryParsesOrIsNamedAsBad(@ForAll("addressLike") String address, @ForAll("addressLike") String mask) {
        try {
            AccessList.Entry.parse("permit", address, mask.isEmpty() ? null : mask);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void aPenLogLineParsesOrIsNamedAsBad(@ForAll @StringLength(max = 200) String line) {
        try {
            PenLogLine parsed = PenLogLine.parse(line);
            assertThat(PenLogLine.parse(parsed.format())).isEqualTo(parsed);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).startsWith("bad ");
        }
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> words = Arbitraries.oneOf(Arbitraries.of("-a", "-bc", "-b", "x", "--", "--long",
                "--long=v", "--flag", "--flag=v", "--other", "-", "-z"), Arbitraries.strings().ofMaxLength(6));
        return words.list().ofMaxSize(8);
    }

    @Property(tries = 2000)
    void getoptAnswersOptionsOrItsOwnError(@ForAll("commandLines") List<String> args) {
        List<Getopt.LongOption> longs = List.of(new Getopt.LongOption("long", true),
                new Getopt.LongOption("flag", false));
        try {
            Getopt.Result r = Getopt.parse("ab:c", longs, args.toArray(String[]::new));
            assertThat(r.options().size() + r.operands().size()).isLessThanOrEqualTo(args.size() * 3);
        } catch (Getopt.BadOption e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
