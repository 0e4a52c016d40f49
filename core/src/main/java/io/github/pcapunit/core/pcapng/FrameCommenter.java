package io.github.pcapunit.core.pcapng;

import java.util.List;

/**
 * Chooses comments for packets while a conversion writes them, so the file is written once with
 * its comments instead of being read back and rewritten. The conversion first shows the
 * commenter every packet it is going to write ({@link #observe}, in output order, with the
 * frame number Wireshark will show: 1-based, journal entries count as frames), then asks for
 * each packet's comments ({@link #comments}) as it writes it; they become {@code opt_comment}
 * options. When the comments would push the file past its size cap, the file is written
 * without them.
 *
 * <pre>{@code
 * FrameCommenter bigOnes = new FrameCommenter() {
 *     private final Set<Long> big = new HashSet<>();
 *
 *     public void observe(long frame, long epochNanos, int linkType, byte[] data, int capturedLength) {
 *         if (capturedLength > 1400) big.add(frame);
 *     }
 *
 *     public List<String> comments(long frame) {
 *         return big.contains(frame) ? List.of("near the MTU") : List.of();
 *     }
 * };
 * PcapConversion.builder().addInput(Path.of("raw.pcap")).commenter(bigOnes).build().convert(out);
 * }</pre>
 *
 * <p>Called from the converting thread only. A {@link RuntimeException} thrown by it fails the
 * conversion (the output is deleted) rather than being dropped.
 */
public interface FrameCommenter {

    /**
     * Sees one packet that will be written.
     *
     * @param frameNumber its frame number in the output (1-based, journal entries count)
     * @param epochNanos its timestamp, nanoseconds since the epoch
     * @param linkType the link-layer header type of its interface (e.g. 276 for LINUX_SLL2)
     * @param data buffer holding the captured bytes from index 0; reused after the call returns,
     *     so copy what you keep
     * @param capturedLength number of captured bytes in {@code data}
     */
    void observe(long frameNumber, long epochNanos, int linkType, byte[] data, int capturedLength);

    /**
     * The comments for frame {@code frameNumber}, asked after every packet has been observed.
     *
     * @return the comments, in order; an empty list for none
     */
    List<String> comments(long frameNumber);
}
