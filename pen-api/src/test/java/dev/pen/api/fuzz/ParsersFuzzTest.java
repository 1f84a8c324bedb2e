package dev.pen.api.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.pen.api.AccessList;
import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.HostPort;
import dev.pen.api.PenLogLine;
import dev.pen.api.cli.Getopt;
import java.util.List;

/**
 * Coverage-guided fuzz targets for pen-api's parsers: each may only answer a value or its own error. {@code mvn
 * verify} replays the inputs kept under {@code src/test/resources/.../ParsersFuzzTestInputs}; with
 * {@code JAZZER_FUZZ=1} a target is fuzzed (see the {@code fuzz} profile and {@code bin/fuzz}).
 */
class ParsersFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void serverSpec(FuzzedDataProvider data) {
        try {
            Backend b = Backend.parse(data.consumeRemainingAsString(), 80);
            if (!Backend.parse(b.toString(), 80).equals(b)) {
                throw new AssertionError("does not read back: " + b);
            }
        } catch (IllegalArgumentException expected) {
            // the parser's own error
        }
    }

    @FuzzTest(maxDuration = "30s")
    void listenAddress(FuzzedDataProvider data) {
        try {
            Address a = Address.parseListen(data.consumeRemainingAsString(), "tcp");
            if (!Address.parseListen(a.toString(), "tcp").equals(a)) {
                throw new AssertionError("does not read back: " + a);
            }
        } catch (IllegalArgumentException expected) {
            // the parser's own error
        }
    }

    @FuzzTest(maxDuration = "30s")
    void hostPort(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        try {
            HostPort.parse(text, "80");
        } catch (IllegalArgumentException expected) {
            // the parser's own error
        }
        HostPort.ipLiteral(text);
    }

    @FuzzTest(maxDuration = "30s")
    void aclEntry(FuzzedDataProvider data) {
        try {
            AccessList.Entry.parse(data.consumeBoolean() ? "permit" : "deny", data.consumeString(60),
                    data.consumeBoolean() ? null : data.consumeRemainingAsString());
        } catch (IllegalArgumentException expected) {
            // the parser's own error
        }
    }

    @FuzzTest(maxDuration = "30s")
    void penLogLine(FuzzedDataProvider data) {
        try {
            PenLogLine.parse(data.consumeRemainingAsString());
        } catch (IllegalArgumentException expected) {
            // the parser's own error
        }
    }

    @FuzzTest(maxDuration = "30s")
    void commandLine(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 12);
        String[] args = new String[n];
        for (int i = 0; i < n; i++) {
            args[i] = data.consumeString(20);
        }
        try {
            Getopt.parse("B:C:F:O:S:T:b:c:e:i:j:l:m:o:p:q:t:u:w:x:DHNPQWXUadfhnrsE:K:G:A:ZRL:",
                    List.of(new Getopt.LongOption("help", false), new Getopt.LongOption("grace", true)), args);
        } catch (Getopt.BadOption expected) {
            // the parser's own error
        }
    }
}
