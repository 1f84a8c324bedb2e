package dev.pen.launcher.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.pen.api.cli.Version;
import dev.pen.netty.testing.Await;
import dev.pen.netty.testing.ChildProcess;
import dev.pen.netty.testing.Clients;
import dev.pen.netty.testing.NamedBackend;
import dev.pen.netty.testing.Programs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pen-VERSION.tar.gz as an operator installs it: unpacked into a folder nobody may write to, its scripts run with a
 * PATH that has no {@code mvn} and the test's JVM as {@code JAVA_HOME}, so nothing can be built or written beside
 * them.
 */
class DistributionIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final List<String> SCRIPTS = List.of("pen", "penctl", "mergelogs", "webresolve", "splitwr",
            "penlog", "penlogd");

    @TempDir
    static Path dir;
    private static Path home;
    private static Map<String, String> env;

    @BeforeAll
    static void unpack() throws IOException {
        Path archive = Path.of(System.getProperty("pen.dist", "target/pen-" + Version.current() + ".tar.gz"));
        assertThat(archive).as("the distribution, made by mvn package").exists();
        Path install = Files.createDirectories(dir.resolve("install"));
        Programs.check(List.of("tar", "-xzf", archive.toString(), "-C", install.toString()));
        home = install.resolve("pen-" + Version.current());
        Programs.check(List.of("chmod", "-R", "a-w", install.toString()));
        env = Map.of("PATH", pathWithoutMaven(Files.createDirectories(dir.resolve("path"))).toString(),
                "JAVA_HOME", System.getProperty("java.home"),
                "XDG_CACHE_HOME", Files.createDirectories(dir.resolve("cache")).toString());
    }

    @AfterAll
    static void makeWritableForCleanUp() {
        Programs.check(List.of("chmod", "-R", "u+w", dir.toString()));
    }

    @Test
    void archiveHoldsScriptsJarsDocsLicenceAndUnit() {
        for (String script : SCRIPTS) {
            assertThat(home.resolve("bin").resolve(script)).isExecutable();
        }
        assertThat(home.resolve("lib/pen-launcher-" + Version.current() + ".jar")).isRegularFile();
        assertThat(home.resolve("lib/pen-logtools-" + Version.current() + ".jar")).isRegularFile();
        assertThat(home.resolve("docs/launcher.md")).isRegularFile();
        assertThat(home.resolve("LICENSE")).content().contains("Apache License");
        assertThat(home.resolve("systemd/pen.service")).isRegularFile();
        assertThat(home.resolve("systemd/pen.cfg")).isRegularFile();
    }

    @Test
    void penRelaysAndAnswersPenctlWithoutMaven() throws IOException {
        int port = Clients.closedPort();
        int controlPort = Clients.closedPort();
        try (NamedBackend backend = new NamedBackend("alpha")) {
            // The unit's way: the listen address and the servers in a -F file of penctl commands. -u: as root, pen
            // opens the control port only for a named user.
            Path config = dir.resolve("pen.cfg");
            Files.writeString(config, "listen 127.0.0.1:" + port + "\nserver 0 address 127.0.0.1 port "
                    + backend.port() + "\n");
            try (ChildProcess pen = ChildProcess.start(dir, "pen", env, List.of(script("pen"), "-f", "-F",
                    config.toString(), "-C", "127.0.0.1:" + controlPort, "-u", System.getProperty("user.name")))) {
                Await.until("bin/pen to relay to the backend", START,
                        () -> !pen.isAlive() || "alpha".equals(greeting(port)));
                assertThat(pen.isAlive()).as("bin/pen running; %s", pen.output()).isTrue();
                // bin/pen -f execs the JVM, which must exit when out of memory rather than limp on, and runs with
                // the balancer's memory settings (bin/_common.sh, pen_balancer_flags).
                String[] jvm = Files.readString(Path.of("/proc/" + pen.pid() + "/cmdline"),
                        StandardCharsets.ISO_8859_1).split("\0");
                assertThat(jvm).contains("-XX:+ExitOnOutOfMemoryError", "-Xms8m", "-Xmx512m", "-XX:MaxNewSize=8m");
                if (hasVmOption("TrimNativeHeapInterval")) {
                    assertThat(jvm).contains("-XX:TrimNativeHeapInterval=2000");
                } else {
                    assertThat(jvm).noneMatch(arg -> arg.contains("TrimNativeHeapInterval"));
                }

                Run servers = run(script("penctl"), "127.0.0.1:" + controlPort, "servers");
                assertThat(servers.status()).as(servers.err()).isZero();
                assertThat(servers.out()).startsWith("0 addr 127.0.0.1 port " + backend.port() + " ");
                assertThat(pen.stop()).isZero();
            }
        }
    }

    @Test
    void mergelogsShowsItsUsage() {
        Run help = run(script("mergelogs"), "--help");
        assertThat(help.status()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: mergelogs -p penlog");
    }

    @Test
    void everyScriptShowsItsVersionAndUsage() {
        for (String script : SCRIPTS) {
            Run version = run(script(script), "--version");
            assertThat(version.status()).as("%s --version: %s", script, version.err()).isZero();
            assertThat(version.out()).isEqualTo(script + " " + Version.current() + "\n");
            Run help = run(script(script), "--help");
            assertThat(help.status()).as("%s --help: %s", script, help.err()).isZero();
            assertThat(help.out()).as("%s --help", script).containsIgnoringCase("usage");
        }
    }

    @Test
    void systemdUnitPassesSystemdAnalyzeVerify() throws IOException {
        Path analyze = Programs.path("systemd-analyze");
        // The unit names /opt/pen; point it at this installation, whose bin/pen systemd checks is executable.
        Path unit = Files.createDirectories(dir.resolve("unit")).resolve("pen.service");
        Files.writeString(unit, Files.readString(home.resolve("systemd/pen.service")).replace("/opt/pen",
                home.toString()));
        Programs.Result verify = Programs.run(List.of(analyze.toString(), "verify", unit.toString()));
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).isEmpty();
    }

    /** The backend's greeting through pen, or null while pen does not listen yet. */
    private static String greeting(int port) {
        try {
            return Clients.greeting("127.0.0.1", port);
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    private static String script(String name) {
        return home.resolve("bin").resolve(name).toString();
    }

    /** A folder of links to every program on the test's PATH except mvn. */
    private static Path pathWithoutMaven(Path links) throws IOException {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path folder = Path.of(d);
            if (d.isEmpty() || !Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> programs = Files.list(folder)) {
                for (Path program : (Iterable<Path>) programs::iterator) {
                    Path link = links.resolve(program.getFileName());
                    String name = program.getFileName().toString();
                    if (!name.equals("mvn") && !name.equals("mvnDebug") && Files.isExecutable(program)
                            && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }
        return links;
    }

    /** What a script that ran to its end gave. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... command) {
        String name = Path.of(command[0]).getFileName() + "-" + System.nanoTime();
        try (ChildProcess p = ChildProcess.start(dir, name, env, List.of(command))) {
            int status = p.awaitExit(START);
            return new Run(status, p.stdout(), p.stderr());
        }
    }

    /** True when this JVM, the one the distribution's scripts run (JAVA_HOME), knows the flag {@code name}. */
    private static boolean hasVmOption(String name) {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
