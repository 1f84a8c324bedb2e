package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The public API stays free of Netty: no source file of pen-api mentions it. */
class ApiHasNoNettyTest {

    @Test
    void noSourceFileOfTheApiMentionsNetty() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).isDirectory();
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(sources)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readString(p).contains("io.netty");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void nettyIsNotOnTheApisClassPath() {
        assertThat(getClass().getClassLoader().getResource("io/netty/buffer/ByteBuf.class")).isNull();
    }
}
