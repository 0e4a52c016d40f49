package io.github.pcapunit.junit;

import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.nio.file.Path;

/**
 * The running capture of one test, injected as a test parameter by {@link CaptureTraffic} or
 * {@link CaptureTrafficExtension}.
 *
 * <pre>{@code
 * @CaptureTraffic(filter = "udp port 9999")
 * @Test
 * void sendsHeartbeat(TestCapture capture) {
 *     client.heartbeat();
 *     capture.mark("heartbeat sent");
 *     assertThat(capture.traffic().udpExchanges()).isNotEmpty();
 * }
 * }</pre>
 *
 * <p>Other extensions reach it through the Store:
 * {@code context.getStore(TestCapture.NAMESPACE).get(TestCapture.class, TestCapture.class)}.
 */
public interface TestCapture {

    /** The Store namespace where the current test's capture is kept under the key {@code TestCapture.class}. */
    org.junit.jupiter.api.extension.ExtensionContext.Namespace NAMESPACE =
            org.junit.jupiter.api.extension.ExtensionContext.Namespace.create("io.github.pcapunit.junit");

    /**
     * The pcapng file of this test, e.g.
     * {@code target/pcapunit/com.example.LoginTest/login.pcapng}; written at the end of the test
     * (and by {@link #snapshot()}), deleted afterwards unless kept.
     */
    Path file();

    /**
     * Adds a journal entry with {@code message} at this moment to the file, e.g.
     * {@code capture.mark("server restarted")}; Wireshark shows it between the packets.
     *
     * @throws IllegalStateException when the test has ended
     */
    void mark(String message);

    /**
     * Waits until the packets sent so far have been captured (about 20 ms), writes them to
     * {@link #file()} and returns the result: use it to assert inside the test.
     *
     * @throws IllegalStateException when the test has ended
     */
    CaptureResult snapshot();

    /**
     * The traffic captured so far, analysed: waits like {@link #snapshot()}, then reads the file.
     *
     * <pre>{@code
     * assertThat(capture.traffic()).hasNoDroppedPacketsTo(1433);
     * }</pre>
     *
     * @throws IllegalStateException when the test has ended
     */
    default CapturedTraffic traffic() {
        return CapturedTraffic.of(snapshot());
    }
}
