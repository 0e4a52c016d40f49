package io.github.pcapunit.junit;

/**
 * What a test does when no capture can be made on this machine (no permission to capture,
 * libpcap missing).
 *
 * <pre>{@code
 * @CaptureTraffic(onUnavailable = OnUnavailable.SKIP)
 * @Test
 * void optionalEvidence() { ... }
 * }</pre>
 */
public enum OnUnavailable {
    /** Fail the test with the reason and the fix. The default: a capture asked for is expected. */
    FAIL,
    /**
     * Skip the test (reported as skipped, not failed); the skip message is the reason, which is
     * also printed once per run to the test output:
     * {@code pcapunit: skipping tests that capture (onUnavailable = SKIP): <reason>}.
     */
    SKIP
}
