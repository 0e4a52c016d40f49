package io.github.pcapunit.junit;

/**
 * Which capture files survive the test run. A kept file is named in the report entry
 * {@code pcapunit.capture}; the file of a failed test is also attached with
 * {@code ExtensionContext.publishFile}.
 *
 * <pre>{@code
 * @CaptureTraffic(keep = Keep.ALWAYS)
 * @Test
 * void handshake() { ... }
 * }</pre>
 *
 * <p>The configuration parameter {@code pcapunit.keep} replaces the default {@link #ON_FAILURE};
 * an annotation that names {@link #ALWAYS} or {@link #NEVER} keeps its own choice.
 */
public enum Keep {
    /** Keep the file of a test that failed; delete it when the test passed or was aborted. The default. */
    ON_FAILURE,
    /**
     * Keep every file. Files of passed tests are named in a report entry but not attached to the
     * report (attaching waits for the file; failed tests' files are attached).
     */
    ALWAYS,
    /** Delete every file, also of failed tests (the capture is still available inside the test). */
    NEVER
}
