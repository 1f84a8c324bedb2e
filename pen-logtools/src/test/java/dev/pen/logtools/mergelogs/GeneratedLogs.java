package dev.pen.logtools.mergelogs;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A pen log and web server logs made up for a test: requests spread over servers, with the pen entry a second
 * or so away from the web line, logs in several time zones, some requests over 100 bytes, some requests pen never
 * saw, pen entries for a server that is not merged, and a few garbage lines. Every web line ends with a unique
 * number, so that a line can be followed through the merge.
 *
 * @param webLines how many web lines that parse were written (garbage lines not counted)
 */
record GeneratedLogs(Path penLog, List<String> serverArguments, long webLines) {

    static final long START = 1_704_756_532L;
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final int[] ZONES = {0, 0, 3600, -18000, 19800, 7200, -34200};

    /**
     * @param requestsPerSecond how dense the logs are: the jitter window holds about 1200 times this many entries
     */
    static GeneratedLogs write(Path dir, int servers, int requests, int requestsPerSecond, long seed)
        throws IOException {
        Random random = new Random(seed);
        Path penLog = dir.resolve("pen.log");
        List<String> arguments = new ArrayList<>();
        BufferedWriter[] web = new BufferedWriter[servers];
        long[] lastWebTime = new long[servers];
        for (int s = 0; s < servers; s++) {
            Path p = dir.resolve("access_log." + (s + 1));
            web[s] = Files.newBufferedWriter(p, StandardCharsets.ISO_8859_1);
            arguments.add(server(s) + ":" + p);
        }
        String[] paths = new String[1000];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = "/page" + i + (i % 97 == 0 ? "?q=" + "x".repeat(100 + i % 7) : ".html");
        }
        long webLines = 0;
        try (BufferedWriter pen = Files.newBufferedWriter(penLog, StandardCharsets.ISO_8859_1)) {
            long t = START;
            for (long id = 0; id < requests; id++) {
                if (random.nextInt(requestsPerSecond) == 0) {
                    t += 1 + (random.nextInt(50) == 0 ? random.nextInt(30) : 0);
                }
                int s = random.nextInt(servers);
                String client = "192.168." + random.nextInt(8) + "." + (1 + random.nextInt(250));
                String request = (random.nextInt(10) == 0 ? "POST " : "GET ")
                    + paths[random.nextInt(paths.length)] + " HTTP/1.1";
                if (random.nextInt(40) != 0) {
                    pen.write(client + " " + t + " " + server(s) + " "
                        + request.substring(0, Math.min(100, request.length())) + "\n");
                }
                if (random.nextInt(200) == 0) {
                    pen.write("10.9.9.9 " + t + " 10.0.0.250 " + request + "\n");
                }
                if (random.nextInt(1000) == 0) {
                    pen.write("garbage\n");
                }
                long webTime = Math.max(lastWebTime[s], t + random.nextInt(3) - 1);
                lastWebTime[s] = webTime;
                int zone = ZONES[random.nextInt(ZONES.length)];
                if (random.nextInt(1000) == 0) {
                    web[s].write("no brackets or quotes here " + id + "\n");
                }
                web[s].write("10.0.0.254 - " + (random.nextInt(5) == 0 ? "user" + random.nextInt(9) : "-")
                    + " [" + time(webTime, zone) + "] \"" + request + "\" 200 " + id
                    + (random.nextBoolean() ? " \"-\" \"agent/1.0\"" : "") + "\n");
                webLines++;
            }
        } finally {
            for (BufferedWriter w : web) {
                w.close();
            }
        }
        return new GeneratedLogs(penLog, arguments, webLines);
    }

    /**
     * Writes logs for a measurement: {@code GeneratedLogs DIR SERVERS REQUESTS REQUESTS_PER_SECOND}; prints the
     * server:logfile arguments.
     */
    public static void main(String[] args) throws IOException {
        GeneratedLogs logs = write(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
            Integer.parseInt(args[3]), 1);
        System.out.println(String.join(" ", logs.serverArguments()));
    }

    static String server(int s) {
        return "10.0.0." + (s + 1);
    }

    /** {@code epochSecond} as a web log time in a zone {@code offset} seconds east of UTC. */
    static String time(long epochSecond, int offset) {
        java.time.LocalDateTime local = java.time.LocalDateTime.ofEpochSecond(epochSecond + offset, 0,
            java.time.ZoneOffset.UTC);
        int abs = Math.abs(offset);
        return String.format("%02d/%s/%04d:%02d:%02d:%02d %s%02d%02d", local.getDayOfMonth(),
            MONTHS[local.getMonthValue() - 1], local.getYear(), local.getHour(), local.getMinute(),
            local.getSecond(), offset < 0 ? "-" : "+", abs / 3600, abs % 3600 / 60);
    }

    String[] arguments(String... options) {
        List<String> all = new ArrayList<>(List.of(options));
        all.add("-p");
        all.add(penLog.toString());
        all.addAll(serverArguments);
        return all.toArray(new String[0]);
    }
}
