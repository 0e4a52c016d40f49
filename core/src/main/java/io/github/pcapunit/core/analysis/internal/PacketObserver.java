package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.internal.PacketFields;

/**
 * Sees the decoded packets of one {@link TrafficScan}, so that a front-end that needs every
 * packet's fields (the command line's {@code format} listing) takes them from the scan's own
 * decode instead of reading and decoding the file a second time. Called for every packet the
 * scan's filter accepts, in file order, on one thread (the scan's decoding thread, or a thread
 * of its own), after the analysis has folded the packet; the scan returns only after the last
 * call. The fields are the scan's and are reused once the call returns: copy what is kept
 * ({@link PacketFields#copy()}). An exception thrown here fails the scan with it.
 *
 * <pre>{@code
 * long[] count = {0};
 * TrafficScan.observed(f -> count[0]++, () -> traffic.packetCount()); // the first scan on this thread
 * }</pre>
 *
 * @see TrafficScan#observed(PacketObserver, Runnable)
 */
@FunctionalInterface
public interface PacketObserver {

    /** One packet that matched the scan's filter, decoded, with its frame fields set. */
    void packet(PacketFields f);
}
