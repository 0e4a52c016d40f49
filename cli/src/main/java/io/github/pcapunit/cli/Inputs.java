package io.github.pcapunit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files a command reads, as core reads them: a gzip-compressed capture (recognised by its
 * first bytes, whatever its name) is decompressed into a temporary directory, under its name
 * without {@code .gz}, and removed when the JVM exits; any other path is used as it is.
 *
 * <pre>{@code Path plain = Inputs.plain(Path.of("app.pcapng.gz"));   // /tmp/pcapunit-.../app.pcapng}</pre>
 */
final class Inputs {

    /** A command over its arguments, e.g. core's {@code Pcapunit::run}. */
    @FunctionalInterface
    interface Command {
        int run(String[] args, PrintStream out, PrintStream err);
    }

    private Inputs() {
    }

    /**
     * {@code file}, or a decompressed copy of it when it is gzip-compressed.
     *
     * @throws IOException when a compressed file cannot be decompressed (named, with the reason)
     */
    static Path plain(Path file) throws IOException {
        if (!isGzip(file)) {
            return file;
        }
        String name = file.getFileName().toString();
        String plainName = name.regionMatches(true, name.length() - 3, ".gz", 0, 3)
                ? name.substring(0, name.length() - 3) : name + ".decompressed";
        Path dir = Files.createTempDirectory("pcapunit-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        Path copy = dir.resolve(plainName);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException(file + " starts like a gzip file but cannot be decompressed: "
                    + e.getMessage() + " (check that the download is complete: gzip -t " + file
                    + ")", e);
        }
        return copy;
    }

    /**
     * Runs {@code command} with every argument that names a gzip-compressed file replaced by its
     * decompressed copy (the value after {@code --filter} is left alone).
     */
    static int withPlainFiles(String[] args, PrintStream out, PrintStream err, Command command) {
        String[] plain = args.clone();
        for (int i = 1; i < plain.length; i++) {
            if (plain[i - 1].equals("--filter") || plain[i].startsWith("--")) {
                continue;
            }
            try {
                plain[i] = plain(Path.of(plain[i])).toString();
            } catch (IOException e) {
                err.println("pcapunit " + args[0] + ": " + e.getMessage());
                return 2;
            }
        }
        return command.run(plain, out, err);
    }

    private static boolean isGzip(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temporary copy left in the temp directory is harmless; nothing to report at exit.
        }
    }
}
