package io.github.pcapunit.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command of the JVM's own namespace and returns its exit code and output. */
final class Shell {

    private Shell() {
    }

    record Result(int exitCode, String output) {
    }

    static Result run(Duration timeout, String... command) {
        Path output = null;
        try {
            // Output goes to a file: a full pipe would block a chatty command (tshark) forever.
            output = Files.createTempFile("pcapunit-it-", ".out");
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** Pings a lab address from the JVM's namespace; true when a reply came. */
    static boolean ping(String labAddress, int count) {
        if (!labAddress.startsWith("10.200.")) {
            throw new IllegalArgumentException(labAddress + " is not a lab address (10.200.x.y)");
        }
        return run(Duration.ofSeconds(10 + count), "ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2",
                "-W", "1", labAddress).exitCode() == 0;
    }
}
