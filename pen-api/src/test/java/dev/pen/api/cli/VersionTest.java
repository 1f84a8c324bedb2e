package dev.pen.api.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void versionIsTheOneTheBuildRecorded() {
        assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+.*").doesNotContain("${");
    }

    @Test
    void versionLineNamesTheProgram() {
        assertThat(Version.line("mergelogs")).isEqualTo("mergelogs " + Version.current());
    }
}
