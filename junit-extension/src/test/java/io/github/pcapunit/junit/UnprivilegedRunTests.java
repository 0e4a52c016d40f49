package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real unprivileged run: a child JVM as user {@code nobody} ({@code setpriv}) runs the SKIP
 * and FAIL fixtures against the machine's real answer, not the seam.
 */
class UnprivilegedRunTests {

    @TempDir
    Path tmp;

    @Test
    void runAsNobody_skipsWithTheRealReason_andFailsWithItByDefault() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        String classpath = readableCopyOfClasspath(tmp.resolve("cp"));
        Path out = Files.createDirectory(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup",
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djna.tmpdir=" + out, "-Djava.io.tmpdir=" + out, "-Duser.home=" + out));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", classpath, UnprivilegedRun.class.getName(), out.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).directory(tmp.toFile()).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).as(output)
                .containsPattern("(?m)^SKIPPED capture not permitted on \"lo\" \\(socket: Operation not permitted\\): "
                        + "run as root, or grant .*cap_net_raw")
                .containsPattern("(?m)^FAILED @CaptureTraffic\\(onUnavailable = FAIL\\) on "
                        + "io\\.github\\.pcapunit\\.junit\\.AvailabilityTests\\$FailTestCases\\.failed\\(\\): no capture "
                        + "can be made here: capture not permitted on \"lo\" .*\\. To skip such tests instead, use onUnavailable = "
                        + "SKIP or pcapunit\\.on\\.unavailable=SKIP\\.")
                .contains("RAN false false")
                .doesNotContain("SUCCEEDED");
    }

    /** The build's classpath, copied where {@code nobody} may read it (root's ~/.m2 is private). */
    private static String readableCopyOfClasspath(Path target) throws Exception {
        String raw = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : raw.split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path copy = target.resolve((n++) + "-" + source.getFileName());
            copyTree(source, copy);
            entries.add(copy.toString());
        }
        try (Stream<Path> all = Files.walk(target)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void copyTree(Path source, Path copy) throws Exception {
        Files.createDirectories(copy.getParent());
        if (!Files.isDirectory(source)) {
            Files.copy(source, copy);
            return;
        }
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = copy.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }
}
