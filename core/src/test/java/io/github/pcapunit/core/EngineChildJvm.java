package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Starts {@link CaptureChildMain} in a child JVM, optionally as user nobody. */
final class EngineChildJvm {

    private EngineChildJvm() {
    }

    /**
     * Copies the classes and jars the child needs into {@code dir} (world-readable, since
     * /root/.m2 is not) and returns a process builder for it.
     */
    static ProcessBuilder builder(Path dir, boolean asNobody, List<String> jvmArgs, String... args) {
        List<String> cp = new ArrayList<>();
        Class<?>[] anchors = {CaptureChildMain.class, Capture.class, org.pcap4j.core.Pcaps.class,
            com.sun.jna.Native.class, org.slf4j.LoggerFactory.class};
        try {
            Path lib = dir.resolve("lib");
            Files.createDirectories(lib);
            int n = 0;
            for (Class<?> c : anchors) {
                Path src = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path dst = lib.resolve((n++) + "-" + src.getFileName());
                if (Files.isDirectory(src)) {
                    copyTree(src, dst);
                } else {
                    Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
                cp.add(dst.toString());
            }
            makeReadable(dir);
            // @TempDir directories are private to root; nobody must reach the copies.
            for (Path up = dir.getParent(); up != null && !up.equals(Path.of("/tmp")); up = up.getParent()) {
                up.toFile().setExecutable(true, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(String.join(":", cp));
        cmd.add(CaptureChildMain.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void makeReadable(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                p.toFile().setReadable(true, false);
                if (Files.isDirectory(p)) {
                    p.toFile().setExecutable(true, false);
                    p.toFile().setWritable(true, false);
                }
            }
        }
    }
}
