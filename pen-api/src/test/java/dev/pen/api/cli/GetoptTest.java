package dev.pen.api.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pen.api.cli.Getopt.LongOption;
import dev.pen.api.cli.Getopt.Option;
import dev.pen.api.cli.Getopt.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class GetoptTest {
    private static final List<LongOption> LONG = List.of(new LongOption("dns", true), new LongOption("help", false));

    private static Getopt.Result parse(String letters, String... args) throws Getopt.BadOption {
        return Getopt.parse(letters, LONG, args);
    }

    @Test
    void clusteredFlagsAndAttachedArgumentsAreRead() throws Exception {
        Getopt.Result r = Getopt.parse("p:j:cd", new String[] {"-cdd", "-ppen.log", "-j", "5", "a:b"});

        assertThat(r.options()).containsExactly(Option.of('c', null), Option.of('d', null), Option.of('d', null),
                Option.of('p', "pen.log"), Option.of('j', "5"));
        assertThat(r.operands()).containsExactly("a:b");
    }

    @Test
    void clusterEndsWithALetterThatTakesTheRestAsItsArgument() throws Exception {
        assertThat(Getopt.parse("fl:", new String[] {"-fl/tmp/pen.log"}).options())
                .containsExactly(Option.of('f', null), Option.of('l', "/tmp/pen.log"));
    }

    @Test
    void optionsAfterOperandsCountAsGlibcPermutes() throws Exception {
        Getopt.Result r = Getopt.parse("p:", new String[] {"a:b", "-p", "pen.log", "c:d"});

        assertThat(r.options()).containsExactly(Option.of('p', "pen.log"));
        assertThat(r.operands()).isEqualTo(List.of("a:b", "c:d"));
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        Getopt.Result r = parse("c", "-c", "--", "-c", "--help", "-");

        assertThat(r.options()).containsExactly(Option.of('c', null));
        assertThat(r.operands()).containsExactly("-c", "--help", "-");
    }

    @Test
    void unknownLetterIsNamedAsGlibcDoes() {
        assertThatThrownBy(() -> Getopt.parse("p:", new String[] {"-x"}))
                .isInstanceOfSatisfying(Getopt.BadOption.class, e -> {
                    assertThat(e).hasMessage("invalid option -- 'x'");
                    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN);
                    assertThat(e.option()).isEqualTo("-x");
                });
    }

    @Test
    void missingArgumentIsNamedAsGlibcDoes() {
        assertThatThrownBy(() -> Getopt.parse("p:", new String[] {"-p"}))
                .hasMessage("option requires an argument -- 'p'");
    }

    @Test
    void longOptionTakesItsArgumentAfterAnEqualsSignOrInTheNextWord() throws Exception {
        Getopt.Result r = parse("c", "--dns=ns1:53", "log", "-c", "--dns", "-ns2");

        assertThat(r.options()).containsExactly(new Option("dns", "ns1:53"), Option.of('c', null),
                new Option("dns", "-ns2"));
        assertThat(r.operands()).containsExactly("log");
    }

    @Test
    void longFlagIsReadAmongLetters() throws Exception {
        Getopt.Result r = parse("c", "-c", "--help", "log");

        assertThat(r.options()).containsExactly(Option.of('c', null), new Option("help", null));
        assertThat(r.options().get(1).isLong()).isTrue();
    }

    @Test
    void unknownLongOptionIsNamedAsGlibcDoes() {
        assertThatThrownBy(() -> parse("c", "--foo=1"))
                .isInstanceOfSatisfying(Getopt.BadOption.class, e -> {
                    assertThat(e).hasMessage("unrecognized option '--foo=1'");
                    assertThat(e.option()).isEqualTo("--foo");
                });
    }

    @Test
    void longNamesMustBeGivenInFull() {
        assertThatThrownBy(() -> parse("c", "--hel")).hasMessage("unrecognized option '--hel'");
    }

    @Test
    void longOptionWithoutItsArgumentIsNamedAsGlibcDoes() {
        assertThatThrownBy(() -> parse("c", "--dns"))
                .isInstanceOfSatisfying(Getopt.BadOption.class, e -> {
                    assertThat(e).hasMessage("option '--dns' requires an argument");
                    assertThat(e.problem()).isEqualTo(Problem.MISSING_ARGUMENT);
                });
    }

    @Test
    void argumentToALongFlagIsRefusedAsGlibcDoes() {
        assertThatThrownBy(() -> parse("c", "--help=yes"))
                .isInstanceOfSatisfying(Getopt.BadOption.class, e -> {
                    assertThat(e).hasMessage("option '--help' doesn't allow an argument");
                    assertThat(e.problem()).isEqualTo(Problem.UNEXPECTED_ARGUMENT);
                });
    }

    @Test
    void withoutLongOptionsADoubleDashWordIsReadAsLetters() {
        assertThatThrownBy(() -> Getopt.parse("h", new String[] {"--help"})).hasMessage("invalid option -- '-'");
    }

    @Test
    void optionsAreReadOneAtATimeSoTheFirstProblemComesFirst() throws Exception {
        Getopt getopt = new Getopt("b:", List.of(), List.of("-b", "soon", "-Y"));

        assertThat(getopt.next()).isEqualTo(Option.of('b', "soon"));
        assertThatThrownBy(getopt::next).hasMessage("invalid option -- 'Y'");
    }

    @Test
    void longOptionNameIsChecked() {
        assertThatThrownBy(() -> new LongOption("x", false)).hasMessageContaining("bad long option name 'x'");
        assertThatThrownBy(() -> new LongOption("a=b", true)).hasMessageContaining("bad long option name 'a=b'");
    }
}
