package io.github.pcapunit.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short external commands (ip, nft, iptables) and collects their output. Not API. */
final class Commands {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Commands() {
    }

    /** Runs {@code command} with optional stdin and returns its result; never throws for a non-zero exit. */
    static ExecResult exec(List<String> command, String stdin, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command)
                    + ": " + e.getMessage() + " (is the program installed? .ci/run installs it)", e);
        }
        Drain out = new Drain(process.getInputStream());
        Drain err = new Drain(process.getErrorStream());
        out.start();
        err.start();
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The program exited without reading its input; its exit status says why.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new ExecResult(command, -1, out.text(), err.text() + "\n(timed out after " + timeout + ")");
            }
            return new ExecResult(command, process.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} and throws with its stderr when it exits non-zero. */
    static ExecResult run(List<String> command, String stdin) {
        ExecResult result = exec(command, stdin, DEFAULT_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(result.describeFailure());
        }
        return result;
    }

    static ExecResult run(String... command) {
        return run(List.of(command), null);
    }

    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Drain(InputStream in) {
            super("pcapunit-netlab-drain");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            try (in) {
                in.transferTo(buffer);
            } catch (IOException e) {
                // The process went away; whatever was read so far is the output.
            }
        }

        String text() throws InterruptedException {
            join(5_000);
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
