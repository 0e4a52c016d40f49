/**
 * pcapunit's core API: start and stop filtered packet captures, read and write pcap/pcapng
 * files, and analyse what was captured.
 *
 * <pre>{@code
 * CaptureSpec spec = CaptureSpec.builder()
 *         .filter("tcp port 1433")
 *         .output(Path.of("target/pcapunit/db.pcapng"))
 *         .build();
 * try (Capture capture = Capture.start(spec)) {
 *     connectToDatabase();
 *     CaptureResult result = capture.stop();
 *     CapturedTraffic traffic = CapturedTraffic.of(result);
 *     traffic.drops().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Nothing in this package exposes libpcap or pcap4j types: the capture backend is an
 * implementation detail under {@code io.github.pcapunit.core.internal}.
 */
package io.github.pcapunit.core;
