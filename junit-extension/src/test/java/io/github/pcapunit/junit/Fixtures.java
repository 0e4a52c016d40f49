package io.github.pcapunit.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.reporting.FileEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs fixture classes ({@code ...TestCases}) through the Jupiter engine with an output directory. */
final class Fixtures {

    private Fixtures() {
    }

    static EngineExecutionResults run(Class<?> fixture, Path outputDirectory) {
        return run(fixture, outputDirectory, Map.of());
    }

    static EngineExecutionResults run(Class<?> fixture, Path outputDirectory, Map<String, String> parameters) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .configurationParameter("pcapunit.output.directory", outputDirectory.toString())
                .outputDirectoryCreator(new ReportDirectory(outputDirectory.resolve("report")));
        parameters.forEach(kit::configurationParameter);
        EngineExecutionResults results = kit.execute();
        if (System.getenv("PCAPUNIT_FIXTURES_DEBUG") != null) {
            results.allEvents().failed().stream().forEach(e -> e.getRequiredPayload(
                    org.junit.platform.engine.TestExecutionResult.class).getThrowable().ifPresent(Throwable::printStackTrace));
        }
        return results;
    }

    /** A run's results and what it printed to {@code System.out}. */
    record Printed(EngineExecutionResults results, String output) {
        /** The lines pcapunit printed. */
        List<String> pcapunitLines() {
            return output.lines().filter(l -> l.startsWith("pcapunit: ")).toList();
        }
    }

    /** Runs {@code fixture} like {@link #run}, collecting what it prints to {@code System.out}. */
    static Printed runPrinting(Class<?> fixture, Path outputDirectory, Map<String, String> parameters) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        EngineExecutionResults results;
        try (java.io.PrintStream capture = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(capture);
            results = run(fixture, outputDirectory, parameters);
        } finally {
            System.setOut(original);
        }
        String output = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        original.print(output);
        return new Printed(results, output);
    }

    /** Every regular file under {@code directory}, e.g. what a run published to its report directory. */
    static List<Path> filesUnder(Path directory) {
        if (!java.nio.file.Files.isDirectory(directory)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(directory)) {
            return walk.filter(java.nio.file.Files::isRegularFile).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Where published files go: one directory per test, as a build tool's reporter would do. */
    static final class ReportDirectory implements org.junit.platform.engine.OutputDirectoryCreator {
        private final Path root;

        ReportDirectory(Path root) {
            this.root = root;
        }

        @Override
        public Path getRootDirectory() {
            return root;
        }

        @Override
        public Path createOutputDirectory(org.junit.platform.engine.TestDescriptor descriptor) throws java.io.IOException {
            return java.nio.file.Files.createDirectories(
                    root.resolve(Integer.toHexString(descriptor.getUniqueId().toString().hashCode())));
        }
    }

    /** The files published ({@code publishFile}) among {@code events}. */
    static List<FileEntry> publishedFiles(Events events) {
        return events.fileEntryPublished().stream().map(e -> e.getRequiredPayload(FileEntry.class)).toList();
    }

    /** Where a fixture test's file goes. */
    static Path fileOf(Path outputDirectory, Class<?> fixture, String fileName) {
        return outputDirectory.resolve(fixture.getName().replace('$', '.')).resolve(fileName);
    }
}
