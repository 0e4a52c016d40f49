package io.github.pcapunit.core.pcapng;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One captured packet read from a pcap or pcapng file: timestamp (nanosecond precision), the
 * interface and its link type, captured bytes (possibly cut at the snaplen) and the original
 * length on the wire, kept apart, plus the pcapng per-packet options. Immutable: the data is a
 * copy.
 *
 * <pre>{@code
 * try (PcapReader reader = PcapReader.open(Path.of("db.pcapng"))) {
 *     reader.packets().filter(p -> p.direction() == Direction.OUTBOUND)
 *           .forEach(p -> System.out.println(p.timestamp() + " " + p.originalLength()));
 * }
 * }</pre>
 */
public final class Packet {

    private final long frameNumber;
    private final long timestampNanos;
    private final boolean timestamped;
    private final int interfaceId;
    private final LinkType linkType;
    private final int originalLength;
    private final byte[] data;
    private final PacketOptions options;

    /**
     * A packet.
     *
     * @param frameNumber 1-based position among the file's packets (Wireshark's frame number)
     * @param timestampNanos nanoseconds since the epoch
     * @param interfaceId the interface id within its section (0 for classic pcap)
     * @param linkType link type of that interface
     * @param originalLength length on the wire, at least {@code data.length} normally
     * @param data the captured bytes (copied)
     * @param options pcapng options, {@code null} for none
     */
    public Packet(long frameNumber, long timestampNanos, int interfaceId, LinkType linkType,
            int originalLength, byte[] data, PacketOptions options) {
        this(frameNumber, timestampNanos, true, interfaceId, linkType, originalLength, data, options);
    }

    private Packet(long frameNumber, long timestampNanos, boolean timestamped, int interfaceId, LinkType linkType,
            int originalLength, byte[] data, PacketOptions options) {
        this.frameNumber = frameNumber;
        this.timestampNanos = timestampNanos;
        this.timestamped = timestamped;
        this.interfaceId = interfaceId;
        this.linkType = Objects.requireNonNull(linkType, "linkType");
        this.originalLength = originalLength;
        this.data = data.clone();
        this.options = options == null ? PacketOptions.none() : options;
    }

    /**
     * A packet recorded without a timestamp, as a pcapng Simple Packet Block is:
     * {@link #hasTimestamp()} is false and {@link #timestamp()} gives the epoch.
     *
     * <pre>{@code Packet p = Packet.withoutTimestamp(1, 0, LinkType.ETHERNET, frame.length, frame, null);}</pre>
     *
     * @param options pcapng options, {@code null} for none
     */
    public static Packet withoutTimestamp(long frameNumber, int interfaceId, LinkType linkType,
            int originalLength, byte[] data, PacketOptions options) {
        return new Packet(frameNumber, 0, false, interfaceId, linkType, originalLength, data, options);
    }

    /** 1-based position among the file's packets, as Wireshark numbers frames. */
    public long frameNumber() {
        return frameNumber;
    }

    /**
     * Whether the file recorded when the packet was captured: false for a pcapng Simple Packet
     * Block, whose {@link #timestamp()} is then the epoch.
     *
     * <pre>{@code String when = p.hasTimestamp() ? p.timestamp().toString() : "no timestamp";}</pre>
     */
    public boolean hasTimestamp() {
        return timestamped;
    }

    /** When the packet was captured; the epoch when it has no timestamp (see {@link #hasTimestamp()}). */
    public Instant timestamp() {
        return Instant.ofEpochSecond(Math.floorDiv(timestampNanos, 1_000_000_000L),
                Math.floorMod(timestampNanos, 1_000_000_000L));
    }

    /** When the packet was captured, in nanoseconds since the epoch; 0 without a timestamp. */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** Interface id within its pcapng section; 0 for classic pcap. */
    public int interfaceId() {
        return interfaceId;
    }

    /** Link-layer header type of {@link #data()}. */
    public LinkType linkType() {
        return linkType;
    }

    /** Number of bytes captured (= {@code data().length}). */
    public int capturedLength() {
        return data.length;
    }

    /** Length of the packet on the wire; larger than {@link #capturedLength()} when cut. */
    public int originalLength() {
        return originalLength;
    }

    /** A copy of the captured bytes. */
    public byte[] data() {
        return data.clone();
    }

    /** The captured bytes as a read-only buffer (no copy). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** The pcapng per-packet options (empty for classic pcap). */
    public PacketOptions options() {
        return options;
    }

    /** Direction from {@code epb_flags}; {@link Direction#UNKNOWN} when not recorded. */
    public Direction direction() {
        return options.direction();
    }

    /** The raw {@code epb_flags}, 0 when not recorded. */
    public int flags() {
        return options.flags().orElse(0);
    }

    /** {@code epb_dropcount}: packets lost between the previous packet and this one, if recorded. */
    public java.util.OptionalLong dropCount() {
        return options.dropCount();
    }

    /** {@code epb_packetid}, if recorded. */
    public java.util.OptionalLong packetId() {
        return options.packetId();
    }

    /** The packet's comments. */
    public List<String> comments() {
        return options.comments();
    }

    @Override
    public String toString() {
        return "Packet#" + frameNumber + "[" + (timestamped ? timestamp() : "no timestamp") + " if=" + interfaceId + " " + linkType
                + " " + data.length + "/" + originalLength + " " + direction() + "]";
    }
}
