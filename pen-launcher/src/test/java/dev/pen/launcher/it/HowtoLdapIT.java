package dev.pen.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HOWTO's ldap experiment: two slapd, {@code pen -d -d -f 3890 localhost:389 localhost:390}, ldapsearch
 * through pen; the slapd that answered is killed and ldapsearch still gets an answer, from the other one. Each
 * slapd serves its own naming context, so the answer says which one replied.
 */
class HowtoLdapIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Programs programs;
    private final Map<String, Process> slapd = new HashMap<>();

    @BeforeEach
    void programs() {
        Programs.require("slapd");
        Programs.require("ldapsearch");
        programs = new Programs(dir);
    }

    @AfterEach
    void cleanUp() throws IOException {
        programs.close();
    }

    private int startSlapd(String name) throws IOException {
        int port = Programs.freePort();
        Path db = Files.createDirectories(dir.resolve(name + "-db"));
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, String.join("\n",
                "include /etc/ldap/schema/core.schema",
                "pidfile " + dir.resolve(name + ".pid"),
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "database mdb",
                "suffix \"dc=" + name + "\"",
                "directory " + db,
                ""));
        // -d keeps slapd in the foreground, a child of the test that the test can stop.
        slapd.put(name, programs.start(name, "slapd", "-d", "0", "-f", conf.toString(),
                "-h", "ldap://127.0.0.1:" + port + "/"));
        return port;
    }

    private String namingContext(int penPort) throws Exception {
        Programs.Result r = programs.run(WAIT, "ldapsearch", "-H", "ldap://127.0.0.1:" + penPort, "-x", "-b", "",
                "-s", "base", "(objectclass=*)", "namingContexts");
        assertThat(r.status()).as("ldapsearch: %s", r.err()).isZero();
        assertThat(r.out()).contains("result: 0 Success");
        return r.out().lines().filter(l -> l.startsWith("namingContexts: ")).findFirst().orElseThrow()
                .substring("namingContexts: ".length());
    }

    @Test
    void ldapsearchIsAnsweredAndFailsOverWhenTheAnsweringSlapdDies() throws Exception {
        int one = startSlapd("one");
        int two = startSlapd("two");
        Programs.await("both slapd listening", WAIT, () -> Programs.listening(one) && Programs.listening(two));
        int port = Programs.freePort();
        programs.start("pen", Programs.bin("pen"), "-d", "-d", "-f", "127.0.0.1:" + port, "127.0.0.1:" + one,
                "127.0.0.1:" + two);
        Programs.await("pen listening", WAIT, () -> Programs.listening(port));

        String first = namingContext(port);
        assertThat(namingContext(port)).isEqualTo(first);
        String answering = first.substring("dc=".length());
        Process dying = slapd.get(answering);
        dying.destroyForcibly();
        dying.waitFor();

        String after = namingContext(port);
        assertThat(after).isNotEqualTo(first).isIn("dc=one", "dc=two");
        programs.awaitErrors("pen", "blacklisting server", WAIT);
    }
}
