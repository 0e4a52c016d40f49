/**
 * <b>Layer 4, analysis.</b> What a capture file shows: {@link io.github.pcapunit.core.analysis.CapturedTraffic}
 * with its TCP connections, UDP and ICMP exchanges, and {@link io.github.pcapunit.core.analysis.Drop}s
 * inferred from the wire or recorded by the kernel.
 *
 * <pre>{@code
 * CapturedTraffic traffic = CapturedTraffic.read(Path.of("db.pcapng"));
 * traffic.drops().forEach(System.out::println);
 * }</pre>
 */
package io.github.pcapunit.core.analysis;
