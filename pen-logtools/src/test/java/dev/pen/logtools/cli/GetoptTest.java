package dev.pen.logtools.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class GetoptTest {

    @Test
    void clusteredFlagsAndAttachedArgumentsAreRead() throws Exception {
        Getopt.Result r = Getopt.parse("p:j:cd", new String[] {"-cdd", "-ppen.log", "-j", "5", "a:b"});

        assertThat(r.options()).containsExactly(new Getopt.Option('c', null), new Getopt.Option('d', null),
            new Getopt.Option('d', null), new Getopt.Option('p', "pen.log"), new Getopt.Option('j', "5"));
        assertThat(r.operands()).containsExactly("a:b");
    }

    @Test
    void optionsAfterOperandsCountAsGlibcPermutes() throws Exception {
        Getopt.Result r = Getopt.parse("p:", new String[] {"a:b", "-p", "pen.log", "c:d"});

        assertThat(r.options()).containsExactly(new Getopt.Option('p', "pen.log"));
        assertThat(r.operands()).isEqualTo(List.of("a:b", "c:d"));
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        Getopt.Result r = Getopt.parse("c", new String[] {"-c", "--", "-c", "-"});

        assertThat(r.options()).hasSize(1);
        assertThat(r.operands()).containsExactly("-c", "-");
    }

    @Test
    void unknownLetterIsNamedAsGlibcDoes() {
        assertThatThrownBy(() -> Getopt.parse("p:", new String[] {"-x"}))
            .hasMessage("invalid option -- 'x'");
    }

    @Test
    void missingArgumentIsNamedAsGlibcDoes() {
        assertThatThrownBy(() -> Getopt.parse("p:", new String[] {"-p"}))
            .hasMessage("option requires an argument -- 'p'");
    }
}
