package io.github.pcapunit.core.capture;

import io.github.pcapunit.core.pcapng.LinkType;

import java.util.Objects;

/**
 * Counters of one interface of a capture: what was written to the file, what the kernel handed
 * to the capture, and what was lost before that. On Linux's {@code any} interface the kernel
 * counts each loopback packet twice (once outgoing, once incoming, though only one copy is
 * captured); {@link #packetsReceived()} is corrected for that.
 *
 * <pre>{@code
 * for (CaptureStatistics s : result.statistics()) {
 *     System.out.println(s.interfaceName() + ": " + s.packetsWritten() + " written, "
 *             + s.kernelBufferDrops() + " lost in the kernel buffer");
 * }
 * }</pre>
 */
public final class CaptureStatistics {

    private final String interfaceName;
    private final LinkType linkType;
    private final long packetsWritten;
    private final long packetsReceived;
    private final long kernelBufferDrops;
    private final long interfaceDrops;

    /**
     * Counters of one interface.
     *
     * @param interfaceName the interface as captured, e.g. {@code any} or {@code lo}
     * @param linkType its link-layer type in the file
     * @param packetsWritten packets written to the capture file
     * @param packetsReceived packets the kernel passed the filter (libpcap {@code ps_recv}, corrected)
     * @param kernelBufferDrops packets lost because the capture buffer was full ({@code ps_drop})
     * @param interfaceDrops packets the interface or driver dropped ({@code ps_ifdrop})
     */
    public CaptureStatistics(String interfaceName, LinkType linkType, long packetsWritten, long packetsReceived,
            long kernelBufferDrops, long interfaceDrops) {
        this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
        this.linkType = Objects.requireNonNull(linkType, "linkType");
        this.packetsWritten = packetsWritten;
        this.packetsReceived = packetsReceived;
        this.kernelBufferDrops = kernelBufferDrops;
        this.interfaceDrops = interfaceDrops;
    }

    /** The interface name, e.g. {@code any}, {@code lo}, {@code veth-a}. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The link-layer type packets of this interface have in the file. */
    public LinkType linkType() {
        return linkType;
    }

    /** Packets written to the capture file. */
    public long packetsWritten() {
        return packetsWritten;
    }

    /** Packets that matched the filter in the kernel, loopback double counting on {@code lo} and {@code any} removed. */
    public long packetsReceived() {
        return packetsReceived;
    }

    /**
     * Packets lost because the kernel capture buffer was full: raise {@code bufferSize} if not 0.
     * On {@code lo} the kernel counts both copies of a lost loopback packet (outgoing and
     * incoming); the count is halved so it counts packets, like {@link #packetsReceived()}. On
     * {@code any} the loopback share is unknown and the kernel's count is kept (an upper bound).
     */
    public long kernelBufferDrops() {
        return kernelBufferDrops;
    }

    /** Packets dropped by the interface or its driver before capture saw them. */
    public long interfaceDrops() {
        return interfaceDrops;
    }

    @Override
    public String toString() {
        return interfaceName + " (" + linkType + "): written=" + packetsWritten + " received=" + packetsReceived
                + " kernelBufferDrops=" + kernelBufferDrops + " interfaceDrops=" + interfaceDrops;
    }
}
