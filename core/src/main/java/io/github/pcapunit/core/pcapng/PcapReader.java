package io.github.pcapunit.core.pcapng;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.PcapFormatException;

import io.github.pcapunit.core.pcapng.internal.RecordCursor;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads classic pcap (all four magics: µs/ns, little/big endian; also the variants that keep the
 * standard magic but write longer record headers: RedHat 6.1 and Nokia) and pcapng files (both byte
 * orders, several sections and interfaces, EPB/SPB/obsolete PB, ISB, Journal Export, Name
 * Resolution and Decryption Secrets blocks; custom and unknown blocks are skipped). The format is
 * detected from the first bytes.
 *
 * <p>Two ways to walk a file:
 * <ul>
 *   <li>a cursor — {@link #nextPacket()} or {@link #next()} then the accessors — that reuses one
 *       large buffer and allocates nothing per packet;</li>
 *   <li>{@link #packets()}, a {@link Stream} of immutable {@link Packet}s.</li>
 * </ul>
 *
 * <pre>{@code
 * try (PcapReader r = PcapReader.open(Path.of("capture.pcapng"))) {
 *     long bytes = 0;
 *     while (r.nextPacket()) {
 *         bytes += r.originalLength();
 *         ByteBuffer frame = r.payload();   // valid until the next call
 *     }
 *     r.truncatedAt().ifPresent(off -> System.err.println("file cut at byte " + off));
 * }
 * }</pre>
 *
 * <p>A file whose last record is incomplete (a capture killed mid-write) yields every complete
 * packet and then reports {@link #truncatedAt()}. Structural damage throws
 * {@link PcapFormatException} naming the byte offset and block type, as does a file cut inside
 * its file header or first Section Header Block, and a timestamp outside the years 1677-2262
 * (what nanoseconds since 1970 in 64 bits can hold). Interface statistics naming an interface the
 * section does not define are skipped, as tshark does. Memory use is bounded by
 * the largest block (at most 64 MiB), whatever the file size. Not thread-safe.
 */
public final class PcapReader implements AutoCloseable, Iterable<Packet> {

    /** What {@link #next()} stopped at. */
    public enum RecordKind {
        /** A packet (EPB, SPB, PB or classic pcap record): use the packet accessors. */
        PACKET,
        /** A Journal Export Block: use {@link #journalEntry()}. */
        JOURNAL,
        /** An Interface Statistics Block: use {@link #statistics()}. */
        STATISTICS,
        /** End of file (or of its complete part, see {@link #truncatedAt()}). */
        END
    }

    private final RecordCursor cursor;

    private PcapReader(RecordCursor cursor) {
        this.cursor = cursor;
    }

    /**
     * Opens {@code file} and reads its file/section header.
     *
     * <pre>{@code PcapReader r = PcapReader.open(Path.of("db.pcap")); }</pre>
     *
     * @throws PcapFormatException if it is neither pcap nor pcapng
     * @throws CaptureException if it cannot be opened
     */
    public static PcapReader open(Path file) {
        return new PcapReader(RecordCursor.open(Objects.requireNonNull(file, "file")));
    }

    /**
     * Reads a pcap or pcapng image held in memory.
     *
     * <pre>{@code PcapReader r = PcapReader.of(Files.readAllBytes(path)); }</pre>
     *
     * @throws PcapFormatException if it is neither pcap nor pcapng
     */
    public static PcapReader of(byte[] contents) {
        return new PcapReader(RecordCursor.of(contents.clone()));
    }

    /** Whether the file is pcapng (else classic pcap). */
    public boolean isPcapng() {
        return cursor.isPcapng();
    }

    /**
     * Advances to the next packet, journal entry or statistics block.
     *
     * <pre>{@code
     * for (RecordKind k = r.next(); k != RecordKind.END; k = r.next()) {
     *     if (k == RecordKind.JOURNAL) System.out.println(r.journalEntry().message());
     * }
     * }</pre>
     *
     * @throws PcapFormatException on structural damage
     */
    public RecordKind next() {
        return cursor.next();
    }

    /**
     * Advances to the next packet, passing over (but recording) journal entries and statistics.
     *
     * @return false at the end of the file
     * @throws PcapFormatException on structural damage
     */
    public boolean nextPacket() {
        return cursor.nextPacket();
    }

    /** Wireshark's frame number of the current packet or journal entry (1-based; journal entries are frames too). */
    public long frameNumber() {
        return cursor.frameNumber();
    }

    /** Byte offset of the current record in the file. */
    public long offset() {
        return cursor.recordOffset();
    }

    /**
     * Current packet's timestamp, nanoseconds since the epoch; 0 for a packet without one (see
     * {@link #hasTimestamp()}).
     */
    public long timestampNanos() {
        return cursor.timestampNanos();
    }

    /**
     * Whether the current packet has a timestamp. Every classic pcap record and pcapng
     * Enhanced/obsolete Packet Block has one; a pcapng Simple Packet Block has none, and then
     * {@link #timestamp()} and {@link #timestampNanos()} give the epoch, which is not its time.
     *
     * <pre>{@code
     * while (r.nextPacket()) {
     *     String when = r.hasTimestamp() ? r.timestamp().toString() : "no timestamp";
     * }
     * }</pre>
     */
    public boolean hasTimestamp() {
        return cursor.hasTimestamp();
    }

    /**
     * Current packet's timestamp (allocates; prefer {@link #timestampNanos()} in hot loops); the
     * epoch for a packet without one (see {@link #hasTimestamp()}).
     */
    public Instant timestamp() {
        long ns = cursor.timestampNanos();
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    /** Current packet's interface id within its section (0 for classic pcap). */
    public int interfaceId() {
        return cursor.interfaceId();
    }

    /** Link type of the current packet's interface. */
    public LinkType linkType() {
        return cursor.linkType();
    }

    /** Bytes captured of the current packet. */
    public int capturedLength() {
        return cursor.capturedLength();
    }

    /** Length on the wire of the current packet. */
    public int originalLength() {
        return cursor.originalLength();
    }

    /** Direction from the current packet's {@code epb_flags}. */
    public Direction direction() {
        return PacketOptions.directionOf(cursor.flags());
    }

    /** The current packet's raw {@code epb_flags}, 0 when absent. */
    public int flags() {
        return cursor.flags();
    }

    /**
     * The current packet's captured bytes as a view between position and limit of a buffer this
     * reader reuses: valid until the next call to {@code next*}; do not keep it.
     */
    public ByteBuffer payload() {
        return cursor.payload();
    }

    /** The array behind {@link #payload()}: bytes {@code [payloadOffset(), +capturedLength())}. */
    public byte[] payloadArray() {
        return cursor.array();
    }

    /** Where the current packet's bytes start in {@link #payloadArray()}. */
    public int payloadOffset() {
        return cursor.payloadOffset();
    }

    /**
     * Whether the current packet has the pcapng option {@code code} (e.g. 1 {@code opt_comment},
     * 7 {@code epb_verdict}); always false for classic pcap. Allocates nothing: ask it before
     * {@link #options()} when only some packets matter.
     *
     * <pre>{@code if (r.hasOption(7)) { List<byte[]> verdicts = r.options().verdicts(); }}</pre>
     */
    public boolean hasOption(int code) {
        return cursor.hasOption(code);
    }

    /** The current packet's options (parsed on demand, allocates). */
    public PacketOptions options() {
        return cursor.options();
    }

    /** An immutable copy of the current packet. */
    public Packet packet() {
        return cursor.packet();
    }

    /** The current journal entry (after {@link RecordKind#JOURNAL}). */
    public JournalEntry journalEntry() {
        return cursor.journalEntry();
    }

    /** The current statistics (after {@link RecordKind#STATISTICS}). */
    public InterfaceStatistics statistics() {
        return cursor.statistics();
    }

    /** Interface id the current statistics belong to. */
    public int statisticsInterfaceId() {
        return cursor.statisticsInterfaceId();
    }

    /** Interfaces of the current section, by id (one for classic pcap). */
    public List<InterfaceDescription> interfaces() {
        return cursor.interfaces();
    }

    /**
     * How many interfaces the current section has defined so far: {@code interfaces().size()}
     * without copying the list (cheap enough to ask for every packet).
     */
    public int interfaceCount() {
        return cursor.interfaceCount();
    }

    /** The current section's header (synthesised, without options, for classic pcap). */
    public SectionHeader sectionHeader() {
        return cursor.sectionHeader();
    }

    /** Every section header read so far, in file order. */
    public List<SectionHeader> sections() {
        return cursor.sections();
    }

    /**
     * Names from the Name Resolution Blocks read so far, by address, in file order (empty for
     * classic pcap).
     *
     * <pre>{@code reader.nameResolutions().get(InetAddress.getByName("10.0.1.20")); // [db.example] }</pre>
     */
    public Map<java.net.InetAddress, List<String>> nameResolutions() {
        return cursor.nameResolutions();
    }

    /** Decryption Secrets Blocks read so far (e.g. TLS key logs), in file order. */
    public List<DecryptionSecrets> decryptionSecrets() {
        return cursor.decryptionSecrets();
    }

    /** Journal entries read so far, in file order. */
    public List<JournalEntry> journalEntries() {
        return cursor.journalEntries();
    }

    /** The last statistics read per interface id of the current section. */
    public Map<Integer, InterfaceStatistics> latestStatistics() {
        return cursor.latestStatistics();
    }

    /**
     * Where the file's complete part ends, once reading reached an incomplete last record;
     * empty while reading or when the file ended cleanly.
     */
    public OptionalLong truncatedAt() {
        return cursor.truncatedAt();
    }

    /**
     * The remaining packets as a sequential stream of immutable {@link Packet}s (the cursor
     * moves along with it).
     *
     * <pre>{@code long outbound = r.packets().filter(p -> p.direction() == Direction.OUTBOUND).count(); }</pre>
     */
    public Stream<Packet> packets() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Iterates the remaining packets as immutable {@link Packet}s. */
    @Override
    public Iterator<Packet> iterator() {
        return new Iterator<>() {
            private Packet next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    if (nextPacket()) {
                        next = packet();
                    } else {
                        done = true;
                    }
                }
                return next != null;
            }

            @Override
            public Packet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more packets; check hasNext() first");
                }
                Packet p = next;
                next = null;
                return p;
            }
        };
    }

    /** Closes the file. Idempotent. */
    @Override
    public void close() {
        cursor.close();
    }
}
