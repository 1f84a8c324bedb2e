package dev.pen.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of pen-api: an embedder who gives no meter registry builds, copies, compares
 * and prints a configuration with no Micrometer on the class path. Checked with pen-api's classes alone in a class
 * loader that cannot see Micrometer, with the JVM's bytecode verifier on (as for every class not on the boot path).
 */
class ApiWithoutMicrometerTest {

    @Test
    void aConfigWithoutRegistryNeedsNoMicrometer() throws Throwable {
        URL apiClasses = BalancerConfig.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader alone = new URLClassLoader(new URL[] {apiClasses}, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> alone.loadClass("io.micrometer.core.instrument.MeterRegistry"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> configClass = Class.forName(BalancerConfig.class.getName(), true, alone);
            Class<?> builderClass = Class.forName(BalancerConfig.Builder.class.getName(), true, alone);
            assertThat(configClass.getClassLoader()).isSameAs(alone);

            // Method handles, not Class.getMethod: reflection lists every method's types, Micrometer's among them.
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object builder = lookup.findStatic(configClass, "builder", MethodType.methodType(builderClass)).invoke();
            MethodHandle withString = lookup.findVirtual(builderClass, "listen",
                    MethodType.methodType(builderClass, String.class));
            withString.invoke(builder, "127.0.0.1:8080");
            lookup.findVirtual(builderClass, "backend", MethodType.methodType(builderClass, String.class))
                    .invoke(builder, "127.0.0.1:81");
            lookup.findVirtual(builderClass, "name", MethodType.methodType(builderClass, String.class))
                    .invoke(builder, "edge");
            MethodHandle build = lookup.findVirtual(builderClass, "build", MethodType.methodType(configClass));
            Object config = build.invoke(builder);

            Object copy = build.invoke(lookup.findVirtual(configClass, "toBuilder", MethodType.methodType(builderClass))
                    .invoke(config));
            assertThat(copy).isEqualTo(config).hasSameHashCodeAs(config);
            assertThat(config.toString()).contains("127.0.0.1:81").contains("name=edge");
            assertThat((boolean) lookup.findVirtual(configClass, "hasMeterRegistry",
                    MethodType.methodType(boolean.class)).invoke(config)).isFalse();
            assertThat((String) lookup.findVirtual(configClass, "name", MethodType.methodType(String.class))
                    .invoke(config)).isEqualTo("edge");
            // The rest of the API loads and links beside it.
            Class.forName(Balancer.class.getName(), true, alone);
            Class.forName(BackendStats.class.getName(), true, alone);
        }
    }
}
