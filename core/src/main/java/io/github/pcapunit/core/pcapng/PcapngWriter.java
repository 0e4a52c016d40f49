package io.github.pcapunit.core.pcapng;

import io.github.pcapunit.core.CaptureException;

import io.github.pcapunit.core.pcapng.internal.BlockWriter;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Streams a pcapng file. Valid from construction: {@link #open(Path, SectionHeader,
 * InterfaceDescription...)} writes the Section Header Block and the given Interface Description
 * Blocks at once, so a file cut short at any point still opens in Wireshark. Everything is
 * written little endian, with nanosecond timestamps unless an interface asks for another
 * {@code if_tsresol}.
 *
 * <pre>{@code
 * InterfaceDescription lo = InterfaceDescription.builder()
 *         .linkType(LinkType.ETHERNET).name("lo").filter("tcp port 8080").build();
 * try (PcapngWriter w = PcapngWriter.open(Path.of("out.pcapng"), SectionHeader.empty(), lo)) {
 *     w.writePacket(0, Instant.now(), frame.length, frame, 0, frame.length,
 *             PacketOptions.builder().direction(Direction.OUTBOUND).build());
 *     w.writeJournal(JournalEntry.builder(Instant.now()).field("MESSAGE", "done").build());
 * }
 * }</pre>
 *
 * <p>Not thread-safe: call it from one thread at a time. Output is buffered; {@link #flush()}
 * pushes it to the file. I/O failures are thrown as {@link CaptureException} with the cause.
 */
public final class PcapngWriter implements AutoCloseable {

    private final BlockWriter out;

    private PcapngWriter(BlockWriter out) {
        this.out = out;
    }

    /**
     * Creates (or truncates) {@code file} and writes the section header and interfaces.
     *
     * @param file where to write
     * @param section section header options; {@link SectionHeader#empty()} for none
     * @param interfaces interfaces, numbered 0, 1, ... in this order
     * @return an open writer
     * @throws CaptureException if the file cannot be created or written
     */
    public static PcapngWriter open(Path file, SectionHeader section, InterfaceDescription... interfaces) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(section, "section");
        checkInterfaces(interfaces);
        BlockWriter w = BlockWriter.toFile(file);
        return start(w, section, interfaces);
    }

    /**
     * Writes a pcapng stream to {@code out} (which this writer closes), starting with the
     * section header and interfaces.
     *
     * @throws CaptureException if writing fails
     */
    public static PcapngWriter open(OutputStream out, SectionHeader section, InterfaceDescription... interfaces) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(section, "section");
        checkInterfaces(interfaces);
        return start(BlockWriter.toStream(out, "output stream"), section, interfaces);
    }

    private static PcapngWriter start(BlockWriter w, SectionHeader section, InterfaceDescription... interfaces) {
        try {
            w.writeSectionHeader(section);
            for (InterfaceDescription d : interfaces) {
                w.writeInterface(d);
            }
            return new PcapngWriter(w);
        } catch (RuntimeException e) {
            w.closeQuietly(e);
            throw e;
        }
    }

    private static void checkInterfaces(InterfaceDescription... interfaces) {
        Objects.requireNonNull(interfaces, "interfaces");
        for (int i = 0; i < interfaces.length; i++) {
            if (interfaces[i] == null) {
                throw new IllegalArgumentException("interface #" + i + " is null; pass an InterfaceDescription");
            }
        }
    }

    /**
     * Starts a new section: writes a Section Header Block and its interfaces. Interface ids
     * restart at 0.
     *
     * <pre>{@code
     * w.newSection(SectionHeader.builder().comment("second run").build(), eth0);
     * }</pre>
     */
    public void newSection(SectionHeader section, InterfaceDescription... interfaces) {
        Objects.requireNonNull(section, "section");
        checkInterfaces(interfaces);
        out.writeSectionHeader(section);
        for (InterfaceDescription d : interfaces) {
            out.writeInterface(d);
        }
    }

    /**
     * Adds an interface to the current section.
     *
     * <pre>{@code int any = w.addInterface(InterfaceDescription.builder().linkType(LinkType.LINUX_SLL2).build()); }</pre>
     *
     * @return its id, to pass to {@link #writePacket}
     */
    public int addInterface(InterfaceDescription description) {
        Objects.requireNonNull(description, "description");
        return out.writeInterface(description);
    }

    /** Number of interfaces in the current section. */
    public int interfaceCount() {
        return out.interfaceCount();
    }

    /**
     * Writes an Enhanced Packet Block.
     *
     * <pre>{@code w.writePacket(0, ts, 60, frame, 0, 60, null); }</pre>
     *
     * @param interfaceId id returned by {@link #addInterface} (or position given to {@code open})
     * @param timestamp capture time
     * @param originalLength length on the wire, at least {@code length}
     * @param data buffer holding the captured bytes
     * @param offset start of the captured bytes in {@code data}
     * @param length number of captured bytes
     * @param options per-packet options, or {@code null} for none
     * @throws IllegalArgumentException for an unknown interface id or inconsistent lengths
     */
    public void writePacket(int interfaceId, Instant timestamp, int originalLength, byte[] data,
            int offset, int length, PacketOptions options) {
        Objects.requireNonNull(timestamp, "timestamp");
        writePacket(interfaceId, toNanos(timestamp), originalLength, data, offset, length, options);
    }

    /**
     * Like {@link #writePacket(int, Instant, int, byte[], int, int, PacketOptions)} with the
     * timestamp in nanoseconds since the epoch (no {@link Instant} allocation).
     *
     * <pre>{@code w.writePacket(0, System.currentTimeMillis() * 1_000_000L, 60, frame, 0, 60, null); }</pre>
     */
    public void writePacket(int interfaceId, long timestampNanos, int originalLength, byte[] data,
            int offset, int length, PacketOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.length);
        if (originalLength < length) {
            throw new IllegalArgumentException("originalLength " + originalLength
                    + " is smaller than the captured length " + length
                    + "; pass the packet's length on the wire (>= captured bytes)");
        }
        out.writePacket(interfaceId, timestampNanos, originalLength, data, offset, length, options);
    }

    /**
     * Writes an Interface Statistics Block for {@code interfaceId}. Its timestamp is
     * {@code statistics.end()}, or now when unknown.
     *
     * <pre>{@code w.writeStatistics(0, InterfaceStatistics.builder().ifRecv(10).osDrop(0).build()); }</pre>
     */
    public void writeStatistics(int interfaceId, InterfaceStatistics statistics) {
        Objects.requireNonNull(statistics, "statistics");
        out.writeStatistics(interfaceId, statistics);
    }

    /**
     * Writes a systemd Journal Export Block (type 9) holding {@code entry}.
     *
     * <pre>{@code w.writeJournal(JournalEntry.builder(ts).field("MESSAGE", "test started").build()); }</pre>
     */
    public void writeJournal(JournalEntry entry) {
        Objects.requireNonNull(entry, "entry");
        out.writeJournal(entry);
    }

    /** Bytes written so far, including what is still buffered. */
    public long bytesWritten() {
        return out.bytesWritten();
    }

    /** Pushes buffered blocks to the file or stream. */
    public void flush() {
        out.flush();
    }

    /** Flushes and closes the file or stream. Idempotent. */
    @Override
    public void close() {
        out.close();
    }

    static long toNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
