/**
 * <b>Layer 3, capture engine.</b> Start and stop a filtered live capture that writes pcapng:
 * {@link io.github.pcapunit.core.capture.CaptureSpec} says what to capture,
 * {@link io.github.pcapunit.core.capture.Capture} runs it, {@link io.github.pcapunit.core.capture.CaptureResult}
 * tells what was written and how complete it is.
 *
 * <pre>{@code
 * CaptureSpec spec = CaptureSpec.builder()
 *         .filter("tcp port 1433")
 *         .output(Path.of("target/pcapunit/db.pcapng"))
 *         .build();
 * try (Capture capture = Capture.start(spec)) {
 *     connectToDatabase();
 *     CaptureResult result = capture.stop();
 * }
 * }</pre>
 *
 * <p>No libpcap or pcap4j type appears here: the backend lives in {@code capture.internal}.
 */
package io.github.pcapunit.core.capture;
