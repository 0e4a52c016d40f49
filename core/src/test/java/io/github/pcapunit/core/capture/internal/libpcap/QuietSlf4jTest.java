package io.github.pcapunit.core.capture.internal.libpcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link QuietSlf4j} drops and when it acts; the whole path (a user's build with and without
 * a binding, slf4j-api 1.7 and 2.x) runs in junit-extension's slf4j-* invoker ITs.
 */
class QuietSlf4jTest {

    @Test
    void notice_of17And2x_isDropped_everyOtherLinePasses() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(new QuietSlf4j.NoticeFilter(out), true, StandardCharsets.UTF_8);

        quiet.println("SLF4J: Failed to load class \"org.slf4j.impl.StaticLoggerBinder\".");
        quiet.println("SLF4J: Defaulting to no-operation (NOP) logger implementation");
        quiet.println("SLF4J: See http://www.slf4j.org/codes.html#StaticLoggerBinder for further details.");
        quiet.println("SLF4J(W): No SLF4J providers were found.");
        quiet.println("SLF4J(W): Defaulting to no-operation (NOP) logger implementation");
        quiet.println("SLF4J(W): See https://www.slf4j.org/codes.html#noProviders for further details.");
        quiet.println("SLF4J: Class path contains multiple SLF4J bindings.");
        quiet.println("SLF4J(E): Failed to instantiate SLF4J LoggerFactory");
        quiet.println("an application's line, ünïcode kept");
        quiet.print("a partial line");
        quiet.flush();

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "SLF4J: Class path contains multiple SLF4J bindings." + System.lineSeparator()
                + "SLF4J(E): Failed to instantiate SLF4J LoggerFactory" + System.lineSeparator()
                + "an application's line, ünïcode kept" + System.lineSeparator()
                + "a partial line");
    }

    @Test
    void bindingPresent_whenA17BinderA2xProviderOrSlf4jProviderIsThere(@TempDir Path dir) throws Exception {
        Path none = Files.createDirectories(dir.resolve("none"));
        Path binder = dir.resolve("binder/org/slf4j/impl/StaticLoggerBinder.class");
        Files.createDirectories(binder.getParent());
        Files.write(binder, new byte[0]);
        Path provider = dir.resolve("provider/META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
        Files.createDirectories(provider.getParent());
        Files.writeString(provider, "org.slf4j.simple.SimpleServiceProvider\n");
        Properties noProperty = new Properties();
        Properties providerProperty = new Properties();
        providerProperty.setProperty("slf4j.provider", "org.example.Provider");

        try (URLClassLoader empty = loader(none); URLClassLoader with17 = loader(dir.resolve("binder"));
                URLClassLoader with2 = loader(dir.resolve("provider"))) {
            assertThat(QuietSlf4j.bindingPresent(empty, noProperty)).isFalse();
            assertThat(QuietSlf4j.bindingPresent(with17, noProperty)).isTrue();
            assertThat(QuietSlf4j.bindingPresent(with2, noProperty)).isTrue();
            assertThat(QuietSlf4j.bindingPresent(empty, providerProperty)).isTrue();
        }
    }

    @Test
    void reportStream_followsSlf4jsProperty() {
        Properties p = new Properties();
        assertThat(QuietSlf4j.reportsToStdout(p)).isFalse();
        p.setProperty("slf4j.internal.report.stream", "stdout");
        assertThat(QuietSlf4j.reportsToStdout(p)).isTrue();
        p.setProperty("slf4j.internal.report.stream", "System.err");
        assertThat(QuietSlf4j.reportsToStdout(p)).isFalse();
    }

    /** A loader that sees only {@code dir}: not the test class path's own SLF4J jars. */
    private static URLClassLoader loader(Path dir) throws Exception {
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    }
}
