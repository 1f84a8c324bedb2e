package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP load generator wrk, run with a Lua script that gives every request a path of its own
 * ({@code /?r=THREAD-N}, so every line of pen's log is unique) and counts the answers that are not 2xx.
 */
final class Wrk {
    /** wrk's figures at its end: requests answered, answers not 2xx, and its socket errors by kind. */
    record Summary(long requests, long non2xx, Map<String, Long> errors, String output) {
        long socketErrors() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final String SCRIPT = String.join("\n",
            "non2xx = 0",
            "counter = 0",
            "local threads = {}",
            "function setup(thread)",
            "  thread:set('id', #threads)",
            "  table.insert(threads, thread)",
            "end",
            "function request()",
            "  counter = counter + 1",
            "  return wrk.format(nil, '/?r=' .. id .. '-' .. counter)",
            "end",
            "function response(status, headers, body)",
            "  if status < 200 or status > 299 then non2xx = non2xx + 1 end",
            "end",
            "function done(summary, latency, requests)",
            "  local n = 0",
            "  for _, t in ipairs(threads) do n = n + t:get('non2xx') end",
            "  local e = summary.errors",
            "  io.write(string.format('wrk-requests %d\\nwrk-non2xx %d\\n', summary.requests, n))",
            "  io.write(string.format('wrk-errors connect %d read %d write %d status %d timeout %d\\n',",
            "    e.connect, e.read, e.write, e.status, e.timeout))",
            "end", "");
    private static final Pattern REQUESTS = Pattern.compile("^wrk-requests (\\d+)$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("^wrk-non2xx (\\d+)$", Pattern.MULTILINE);
    private static final Pattern ERRORS = Pattern.compile(
            "^wrk-errors connect (\\d+) read (\\d+) write (\\d+) status (\\d+) timeout (\\d+)$", Pattern.MULTILINE);

    private Wrk() {
    }

    /** The command that runs wrk for {@code seconds} against {@code url}, with {@code extra} options first. */
    static List<String> command(Path dir, String url, int threads, int connections, int seconds, String... extra)
            throws IOException {
        Programs.require("wrk");
        Path script = dir.resolve("count.lua");
        Files.writeString(script, SCRIPT);
        List<String> c = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "-s", script.toString()));
        c.addAll(List.of(extra));
        c.add(url);
        return c;
    }

    /** Reads the summary wrk wrote to {@code out}. */
    static Summary summary(Path out) throws IOException {
        String text = Files.readString(out, StandardCharsets.ISO_8859_1);
        Matcher r = REQUESTS.matcher(text);
        Matcher n = NON_2XX.matcher(text);
        Matcher e = ERRORS.matcher(text);
        if (!r.find() || !n.find() || !e.find()) {
            fail("wrk gave no summary:\n" + text);
        }
        Map<String, Long> errors = new TreeMap<>();
        String[] kinds = {"connect", "read", "write", "status", "timeout"};
        for (int i = 0; i < kinds.length; i++) {
            errors.put(kinds[i], Long.parseLong(e.group(i + 1)));
        }
        return new Summary(Long.parseLong(r.group(1)), Long.parseLong(n.group(1)), errors, text);
    }
}
