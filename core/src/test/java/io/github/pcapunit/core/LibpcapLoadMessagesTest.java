package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.CaptureAvailability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Why capture is unavailable, as a user sees it (issue 13 item 8), from child JVMs: the message
 * leads with the real cause on one line and suggests {@code -Dorg.pcap4j.core.pcapLibName} only
 * when it is not set.
 */
class LibpcapLoadMessagesTest {

    @Test
    void pcapLibNameSetToAMissingFile_reasonNamesThatPathOnOneLine_andDoesNotSuggestTheProperty() throws Exception {
        String out = runChild(classPath(), "-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so");

        assertThat(out.lines()).as(out).hasSize(2);
        String reason = out.lines().filter(l -> l.startsWith("REASON ")).findFirst().orElseThrow();
        assertThat(reason).startsWith("REASON libpcap not found: -Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so"
                        + " could not be loaded: ")
                .contains("/nonexistent/libpcap.so: cannot open shared object file: No such file or directory")
                .doesNotContain("=/path", "install libpcap0.8", "resource path", ".jar");
        assertThat(reason.length()).isLessThan(500);
        // asked again in the same JVM: the same first cause, not "Could not initialize class"
        assertThat(out).contains("AGAIN " + reason.substring("REASON ".length()));
    }

    @Test
    void slf4jMissingFromTheClassPath_reasonNamesTheMissingClassFirst() throws Exception {
        List<String> cp = classPath().stream().filter(e -> !Path.of(e).getFileName().toString().startsWith("slf4j-"))
                .collect(Collectors.toList());
        assertThat(cp).hasSizeLessThan(classPath().size());

        String out = runChild(cp, "-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so");

        assertThat(out).as(out).contains("REASON pcap4j cannot start: class org.slf4j.LoggerFactory is missing from the"
                + " class path (NoClassDefFoundError: org/slf4j/LoggerFactory). Add the jar that holds it"
                + " (org.slf4j:slf4j-api) to the class path")
                .doesNotContain("libpcap not found", "pcapLibName=/path");
    }

    /** The child: prints the reason capture is unavailable, twice (the second after a fresh load attempt). */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println("REASON " + CaptureAvailability.check().reason());
            try {
                io.github.pcapunit.core.capture.internal.libpcap.Libpcap.version();
                System.out.println("AGAIN loaded");
            } catch (CaptureException e) {
                System.out.println("AGAIN " + e.getMessage());
            }
        }
    }

    private static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ArrayList<>(Arrays.asList(cp.split(File.pathSeparator)));
    }

    /** Runs {@link Child}; its stdout lines (stderr apart: slf4j's notice is not the reason). */
    private static String runChild(List<String> classPath, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), Child.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
