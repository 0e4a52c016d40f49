package io.github.pcapunit.core.fuzz;

import io.github.pcapunit.core.CaptureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Temporary files for the fuzz targets that read from disk: one directory per JVM, a file
 * rewritten per input (fuzzing runs millions of inputs; creating a file each time would only
 * measure the file system).
 */
final class FuzzFiles {

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("pcapunit-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FuzzFiles() {
    }

    /** {@code name} in this JVM's fuzz directory, holding exactly {@code bytes}. */
    static Path write(String name, byte[] bytes) {
        Path p = DIR.resolve(name);
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.toFile().deleteOnExit();
        return p;
    }

    /** A path in this JVM's fuzz directory that does not exist (deleted if it did). */
    static Path fresh(String name) {
        Path p = DIR.resolve(name);
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.toFile().deleteOnExit();
        return p;
    }

    /**
     * Whether {@code e} is one of the documented failures of reading untrusted input: a
     * {@link CaptureException} (its subclass PcapFormatException for the file format) with a
     * message. Anything else is a finding and propagates.
     */
    static boolean documented(RuntimeException e) {
        return e instanceof CaptureException && e.getMessage() != null && !e.getMessage().isBlank();
    }
}
