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
    /** Skip the test (aborted, not failed); the skip message is the reason. */
    SKIP
}
