package io.github.pcapunit.junit;

/**
 * Which capture files survive the test run. Each kept file is named in one line of the test
 * output, {@code pcapunit: kept <absolute path> (test failed)} (or {@code (keep = ALWAYS)}), and in
 * the report entry {@code pcapunit.capture}. It stays where it was written, the only copy (it is
 * not attached with {@code publishFile}, which would copy it under JUnit's report directory): archive
 * {@code target/pcapunit/} in CI.
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
     * Keep every file. A passed test does not wait for its file: it is written in the background
     * and complete when the run ends.
     */
    ALWAYS,
    /** Delete every file, also of failed tests (the capture is still available inside the test). */
    NEVER
}
