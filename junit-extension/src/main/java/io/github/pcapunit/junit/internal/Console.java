package io.github.pcapunit.junit.internal;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The lines pcapunit prints into the test output ({@code System.out}, which Surefire, Failsafe,
 * Gradle and IDEs show with the test and Surefire copies into its reports): only what the user
 * must act on or look at, one line each, prefixed {@code pcapunit: }.
 *
 * <pre>{@code
 * pcapunit: kept /work/app/target/pcapunit/com.example.LoginTest/login.pcapng (test failed)
 * pcapunit: skipping tests that capture (onUnavailable = SKIP): libpcap not found: ...
 * }</pre>
 */
final class Console {

    static final String PREFIX = "pcapunit: ";

    private Console() {
    }

    /** Names a kept file and why it was kept, e.g. {@code test failed} or {@code keep = ALWAYS}. */
    static void kept(Path file, String why) {
        out().println(PREFIX + "kept " + file.toAbsolutePath() + " (" + why + ")");
    }

    /** Says why tests that capture are skipped; printed once per run. */
    static void skipping(String reason) {
        out().println(PREFIX + "skipping tests that capture (onUnavailable = SKIP): " + reason);
    }

    /** Looked up on each call: build tools replace {@code System.out} to capture each test's output. */
    private static PrintStream out() {
        return System.out;
    }
}
