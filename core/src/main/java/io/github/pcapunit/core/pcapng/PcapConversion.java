package io.github.pcapunit.core.pcapng;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.PcapFormatException;

import io.github.pcapunit.core.pcapng.internal.FrameAnnotator;
import io.github.pcapunit.core.pcapng.internal.Merger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Turns one or more classic pcap files (what libpcap writes natively) into ONE pcapng file with
 * the caller's metadata: a section header, one interface per input (name, filter, ... — link type
 * and snaplen come from the pcap header unless given), statistics per input, and journal entries
 * merged into the packet timeline by timestamp. Packets of several inputs are merged in timestamp
 * order. For Linux cooked captures ({@code LINUX_SLL}, {@code LINUX_SLL2}) each packet's direction
 * is taken from the cooked header's packet type into {@code epb_flags}.
 *
 * <pre>{@code
 * PcapConversion.Summary s = PcapConversion.builder()
 *         .section(SectionHeader.builder().userAppl("pcapunit").build())
 *         .addInput(Path.of("raw.pcap"),
 *                 InterfaceDescription.builder().name("any").filter("tcp port 1433").build(),
 *                 InterfaceStatistics.builder().ifRecv(120).osDrop(0).build())
 *         .journal(List.of(JournalEntry.builder(t0).field("MESSAGE", "test started").build()))
 *         .maxBytes(100_000_000)
 *         .build()
 *         .convert(Path.of("capture.pcapng"));
 * }</pre>
 *
 * <p>With a size cap, writing stops before the file would exceed it; the summary says so and
 * the file ends with a journal entry ({@code PCAPUNIT_EVENT=size_cap}) and statistics comments
 * saying where it was cut. A {@link FrameCommenter} given to {@link Builder#commenter} comments
 * packets as they are written.
 */
public final class PcapConversion {

    private final SectionHeader section;
    private final List<Path> inputs;
    private final List<InterfaceDescription> overrides;
    private final List<InterfaceStatistics> stats;
    private final List<JournalEntry> journal;
    private final long maxBytes;
    private final FrameCommenter commenter;

    private PcapConversion(Builder b) {
        this.section = b.section;
        this.inputs = List.copyOf(b.inputs);
        this.overrides = new ArrayList<>(b.overrides);
        this.stats = new ArrayList<>(b.stats);
        this.journal = List.copyOf(b.journal);
        this.maxBytes = b.maxBytes;
        this.commenter = b.commenter;
    }

    /** A builder with no inputs, an empty section header and no size cap. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Converts. All inputs are opened and checked before {@code out} is created; {@code out} is
     * replaced if it exists.
     *
     * <pre>{@code Summary s = conversion.convert(Path.of("out.pcapng")); }</pre>
     *
     * @throws PcapFormatException if an input is not a classic pcap file
     * @throws CaptureException if reading or writing fails (the cause is kept)
     * @throws IllegalArgumentException if {@code out} is one of the inputs
     */
    public Summary convert(Path out) {
        Objects.requireNonNull(out, "out");
        List<Merger.Input> in = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            in.add(Merger.Input.whole(inputs.get(i), overrides.get(i)));
        }
        Merger.Result r = new Merger(in, journal)
                .maxBytes(maxBytes)
                .statistics((i, written, loopback) -> stats.get(i))
                .commenter(commenter)
                .convert(out, cut -> section);
        return new Summary(r.packets, r.journalEntries, r.bytes, r.capped, r.packetsNotWritten,
                r.inputTruncatedAt);
    }

    /**
     * Adds comments to given packets of an existing pcapng file, by Wireshark frame number
     * (1-based; journal entries count as frames, as Wireshark shows them). The file is rewritten
     * into a temporary file next to it and atomically moved over it; on any error the original
     * is left untouched.
     *
     * <pre>{@code
     * PcapConversion.addComments(Path.of("capture.pcapng"),
     *         Map.of(7L, List.of("dropped by nftables: table pcapunit_t1 chain out")));
     * }</pre>
     *
     * @return the number of packets annotated
     * @throws IllegalArgumentException if a frame number is below 1, past the end of the file,
     *     or names a journal entry rather than a packet
     * @throws PcapFormatException if the file is not pcapng, or is big endian
     */
    public static int addComments(Path pcapng, Map<Long, List<String>> commentsByFrame) {
        Objects.requireNonNull(pcapng, "pcapng");
        Objects.requireNonNull(commentsByFrame, "commentsByFrame");
        return FrameAnnotator.annotate(pcapng, commentsByFrame);
    }

    /**
     * Builds a {@link PcapConversion}.
     *
     * <pre>{@code PcapConversion.builder().addInput(Path.of("a.pcap")).build().convert(out); }</pre>
     */
    public static final class Builder {
        private SectionHeader section = SectionHeader.empty();
        private final List<Path> inputs = new ArrayList<>();
        private final List<InterfaceDescription> overrides = new ArrayList<>();
        private final List<InterfaceStatistics> stats = new ArrayList<>();
        private final List<JournalEntry> journal = new ArrayList<>();
        private long maxBytes = Long.MAX_VALUE;
        private FrameCommenter commenter;

        private Builder() {
        }

        /**
         * Comments packets while they are written (default: none): the commenter sees every
         * packet first, then gives each its comments. Within a size cap, comments that would not
         * fit are left out, never packets.
         *
         * <pre>{@code builder.commenter(new DropCommenter(drops)); }</pre>
         */
        public Builder commenter(FrameCommenter commenter) {
            this.commenter = Objects.requireNonNull(commenter, "commenter");
            return this;
        }

        /** Sets the section header (default: empty). */
        public Builder section(SectionHeader section) {
            this.section = Objects.requireNonNull(section, "section");
            return this;
        }

        /** Adds a pcap input whose interface is described only by its pcap header. */
        public Builder addInput(Path pcap) {
            return addInput(pcap, null, null);
        }

        /**
         * Adds a pcap input, becoming interface {@code n} (the n-th input, from 0).
         *
         * @param pcap classic pcap file
         * @param description interface metadata; link type and snaplen are taken from the pcap
         *     header unless set here. {@code null} for none
         * @param statistics written as the interface's statistics block; {@code null} for none
         */
        public Builder addInput(Path pcap, InterfaceDescription description, InterfaceStatistics statistics) {
            inputs.add(Objects.requireNonNull(pcap, "pcap"));
            overrides.add(description);
            stats.add(statistics);
            return this;
        }

        /** Journal entries to merge into the timeline (any order; sorted by timestamp). */
        public Builder journal(List<JournalEntry> entries) {
            for (JournalEntry e : entries) {
                journal.add(Objects.requireNonNull(e, "journal entry"));
            }
            return this;
        }

        /**
         * Caps the output size: packets that would make the file exceed {@code maxBytes} are not
         * written (see {@link Summary#sizeCapped()}).
         *
         * @throws IllegalArgumentException if {@code maxBytes} is below 4096
         */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 4096) {
                throw new IllegalArgumentException("maxBytes " + maxBytes + " is too small to hold"
                        + " the pcapng headers; use at least 4096 (e.g. 100_000_000 for 100 MB)");
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * The conversion.
         *
         * @throws IllegalArgumentException if no input was added
         */
        public PcapConversion build() {
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no input; call addInput(Path) at least once");
            }
            return new PcapConversion(this);
        }
    }

    /**
     * What a conversion wrote.
     *
     * <pre>{@code if (s.sizeCapped()) log.warn(s.packetsNotWritten() + " packets over the cap"); }</pre>
     */
    public static final class Summary {
        private final long packets;
        private final long journalEntries;
        private final long bytes;
        private final boolean sizeCapped;
        private final long packetsNotWritten;
        private final List<OptionalLong> inputTruncatedAt;

        Summary(long packets, long journalEntries, long bytes, boolean sizeCapped,
                long packetsNotWritten, List<OptionalLong> inputTruncatedAt) {
            this.packets = packets;
            this.journalEntries = journalEntries;
            this.bytes = bytes;
            this.sizeCapped = sizeCapped;
            this.packetsNotWritten = packetsNotWritten;
            this.inputTruncatedAt = List.copyOf(inputTruncatedAt);
        }

        /** Packets written. */
        public long packets() {
            return packets;
        }

        /** Journal entries written. */
        public long journalEntries() {
            return journalEntries;
        }

        /** Size of the pcapng file in bytes. */
        public long bytes() {
            return bytes;
        }

        /** Whether the size cap stopped the conversion before the end of the inputs. */
        public boolean sizeCapped() {
            return sizeCapped;
        }

        /** Packets left out because of the size cap. */
        public long packetsNotWritten() {
            return packetsNotWritten;
        }

        /** Per input: where it ended in an incomplete record (a capture killed mid-write). */
        public List<OptionalLong> inputTruncatedAt() {
            return inputTruncatedAt;
        }

        @Override
        public String toString() {
            return "Summary[packets=" + packets + ", journalEntries=" + journalEntries + ", bytes="
                    + bytes + ", sizeCapped=" + sizeCapped + ", packetsNotWritten="
                    + packetsNotWritten + ", inputTruncatedAt=" + inputTruncatedAt + "]";
        }
    }
}
