package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.pcapng.FrameCommenter;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The one pcap-to-pcapng conversion, behind {@link io.github.pcapunit.core.pcapng.PcapConversion}
 * and the capture engine: classic pcap inputs (one interface each) merged in timestamp order with
 * journal entries; {@code epb_flags} by {@link LinkFlags}; a size cap the file never exceeds,
 * with a {@code size_cap} journal entry and statistics comments saying where it was cut; packet
 * comments from a {@link FrameCommenter}. The engine reads a time window of native files that
 * are still being written ({@link Input#from}, {@link Input#limit}, {@link #window}) and learns
 * where the next window starts ({@link Result#resumeOffsets}).
 *
 * <pre>{@code
 * Merger.Result r = new Merger(List.of(Merger.Input.whole(Path.of("any.pcap"), idb)), journal)
 *         .maxBytes(100_000_000)
 *         .convert(Path.of("out.pcapng"), cut -> section);
 * }</pre>
 *
 * <p>An input captured on Linux {@code any} (LINUX_SLL2) may name the interfaces behind its
 * ifindexes ({@link Input#Input(Path, InterfaceDescription, long, long, byte[], IntFunction)}):
 * each packet then goes to its real interface's IDB, written just before that interface's first
 * packet (ids after the inputs' own), with the input's link type, so the SLL2 header stays; the
 * input's own IDB keeps the packets of unnamed ifindexes and the statistics.
 *
 * <p>A planning pass reads the inputs once before writing when the section header must state the
 * cut ({@link #sectionReserve}) or a commenter must see every packet first; otherwise the inputs
 * are read once.
 */
public final class Merger {

    /** {@link JournalKey#PCAPUNIT_EVENT} of the journal entry a size cap leaves at the end of the file. */
    public static final String SIZE_CAP_EVENT = "size_cap";

    /** Recognises records an input holds but the output must not, e.g. a capture engine's own marker packets. */
    @FunctionalInterface
    public interface Skip {
        /** Whether the packet (link type, captured bytes {@code data[offset, offset + length)}) is left out. */
        boolean test(int linkType, byte[] data, int offset, int length);
    }

    /** One classic pcap input, becoming one interface of the output. */
    public static final class Input {
        final Path pcap;
        final InterfaceDescription description;
        final long from;
        final long limit;
        final byte[] ownMac;
        final IntFunction<InterfaceDescription> interfaces;
        final Skip skip;

        /**
         * An input read from record offset {@code from} (0: the first) up to byte {@code limit}
         * (negative: the whole file).
         *
         * @param description the interface; link type and snaplen come from the pcap header
         *     unless set, null for neither
         * @param ownMac the interface's MAC address, telling direction on Ethernet, or null
         */
        public Input(Path pcap, InterfaceDescription description, long from, long limit, byte[] ownMac) {
            this(pcap, description, from, limit, ownMac, null);
        }

        /**
         * An input whose LINUX_SLL2 packets go to the interface {@code interfaces} gives for
         * their ifindex, e.g. {@code i -> i == 1 ? InterfaceDescription.builder().name("lo").build()
         * : null}: its name and description, all else as this input's. Null from it (interface
         * gone or unknown) keeps the packet on this input's interface. Called once per ifindex seen.
         */
        public Input(Path pcap, InterfaceDescription description, long from, long limit, byte[] ownMac,
                IntFunction<InterfaceDescription> interfaces) {
            this.pcap = Objects.requireNonNull(pcap, "pcap");
            this.description = description;
            this.from = from;
            this.limit = limit;
            this.ownMac = ownMac == null ? null : ownMac.clone();
            this.interfaces = interfaces;
            this.skip = null;
        }

        private Input(Input base, Skip skip) {
            this.pcap = base.pcap;
            this.description = base.description;
            this.from = base.from;
            this.limit = base.limit;
            this.ownMac = base.ownMac;
            this.interfaces = base.interfaces;
            this.skip = skip;
        }

        /**
         * This input without the packets {@code skip} recognises: they are neither written nor
         * counted, e.g. {@code input.skipping((link, data, off, len) -> isMarker(link, data, off, len))}.
         */
        public Input skipping(Skip skip) {
            return new Input(this, Objects.requireNonNull(skip, "skip"));
        }

        /** A whole file. */
        public static Input whole(Path pcap, InterfaceDescription description) {
            return new Input(pcap, description, 0, -1, null);
        }
    }

    /** Statistics written for an input at the end, knowing what was written. */
    @FunctionalInterface
    public interface Statistics {
        /**
         * @param written packets written from the input
         * @param loopbackWritten of those, packets a LINUX_SLL2 header says came from the
         *     loopback interface (see {@link #loopbackIndex})
         * @return the statistics block, or null for none
         */
        InterfaceStatistics of(int input, long written, long loopbackWritten);
    }

    /** What a conversion wrote. */
    public static final class Result {
        public long packets;
        public long journalEntries;
        public long bytes;
        public boolean capped;
        public long packetsNotWritten;
        /** Timestamp of the first packet or entry the cap left out, -1 if none. */
        public long cutNanos = -1;
        public long[] written;
        public long[] loopbackWritten;
        /** Per input: offset of the first record after the window, -1 at the end of the input. */
        public long[] resumeOffsets;
        public final List<OptionalLong> inputTruncatedAt = new ArrayList<>();
    }

    private final List<Input> inputs;
    private final List<JournalEntry> journal;
    /** Per journal entry: its encoding, made once for both passes and the write (null until needed). */
    private final byte[][] encoded;
    private long fromNanos = Long.MIN_VALUE;
    private long toNanos = Long.MAX_VALUE;
    private long maxBytes = Long.MAX_VALUE;
    private int sectionReserve;
    private int loopbackIndex = -1;
    private Statistics statistics = (i, written, loopback) -> null;
    private FrameCommenter commenter;
    /** Per (input, ifindex): the interface looked up, or empty; shared by both passes. */
    private final Map<Long, Optional<InterfaceDescription>> interfaces = new HashMap<>();

    /** Inputs in interface order; journal entries in any order (written in timestamp order). */
    public Merger(List<Input> inputs, List<JournalEntry> journal) {
        this.inputs = List.copyOf(inputs);
        List<JournalEntry> sorted = new ArrayList<>(journal);
        sorted.sort(Comparator.comparing(JournalEntry::timestamp));
        this.journal = sorted;
        this.encoded = new byte[sorted.size()][];
    }

    /** Only packets with timestamps in [from, to] (nanoseconds since the epoch). */
    public Merger window(long from, long to) {
        this.fromNanos = from;
        this.toNanos = to;
        return this;
    }

    /** The file never exceeds {@code bytes}. */
    public Merger maxBytes(long bytes) {
        this.maxBytes = bytes;
        return this;
    }

    /** Bytes the section header may grow by once the cut is known (its comment says where). */
    public Merger sectionReserve(int bytes) {
        this.sectionReserve = bytes;
        return this;
    }

    /** The ifindex of the loopback interface, whose LINUX_SLL2 packets are counted apart. */
    public Merger loopbackIndex(int ifindex) {
        this.loopbackIndex = ifindex;
        return this;
    }

    public Merger statistics(Statistics statistics) {
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        return this;
    }

    /** Comments packets as they are written; null for none. */
    public Merger commenter(FrameCommenter commenter) {
        this.commenter = commenter;
        return this;
    }

    /**
     * Writes {@code out} (replacing it). Every input is opened and checked before {@code out} is
     * created; on failure {@code out} is deleted.
     *
     * @param section the section header, given when the cap cut the file (empty: not cut, or not
     *     known because no planning pass ran)
     * @throws IllegalArgumentException if {@code out} is one of the inputs
     */
    public Result convert(Path out, Function<OptionalLong, SectionHeader> section) {
        Path target = out.toAbsolutePath().normalize();
        for (Input in : inputs) {
            if (in.pcap.toAbsolutePath().normalize().equals(target)) {
                throw new IllegalArgumentException("output " + out + " is also an input;"
                        + " write the pcapng to another path");
            }
        }
        Heads heads = new Heads(inputs, fromNanos, toNanos);
        try {
            InterfaceDescription[] idbs = heads.descriptions();
            Plan plan = null;
            if (commenter != null || (maxBytes != Long.MAX_VALUE && sectionReserve > 0)) {
                plan = plan(heads, idbs, section.apply(OptionalLong.empty()));
                heads.close();
                heads = new Heads(inputs, fromNanos, toNanos);
            }
            SectionHeader header = section.apply(plan == null || plan.cutNanos < 0
                    ? OptionalLong.empty() : OptionalLong.of(plan.cutNanos));
            return write(out, heads, idbs, header, plan);
        } finally {
            heads.close();
        }
    }

    private Result write(Path out, Heads heads, InterfaceDescription[] idbs, SectionHeader header, Plan plan) {
        BlockWriter w = BlockWriter.toFile(out);
        try {
            Result r = write(w, heads, idbs, header, plan);
            w.close();
            r.bytes = w.bytesWritten();
            return r;
        } catch (RuntimeException e) {
            w.closeQuietly(e);
            try {
                Files.deleteIfExists(out);
            } catch (IOException d) {
                e.addSuppressed(d);
            }
            if (e instanceof CaptureException || e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new CaptureException("converting to " + out + " failed: " + e, e);
        }
    }

    /** Room for what follows a cut: the size_cap entry and a statistics block per input. */
    private long reserve() {
        long reserve = 1024 + 512L * inputs.size();
        for (int i = 0; i < inputs.size(); i++) {
            InterfaceStatistics s = statistics.of(i, 0, 0);
            reserve += s == null ? 0 : 4L * s.comment().map(String::length).orElse(0);
        }
        return reserve;
    }

    private long limit() {
        return maxBytes == Long.MAX_VALUE ? Long.MAX_VALUE : maxBytes - reserve();
    }

    // ---- the two passes -----------------------------------------------------------------------

    /** What the planning pass found. */
    private static final class Plan {
        /** Items (packets and entries) before the cut, -1 when nothing is cut. */
        long itemsBeforeCut = -1;
        long cutNanos = -1;
        boolean commentsFit;
    }

    private Plan plan(Heads heads, InterfaceDescription[] idbs, SectionHeader section) {
        BlockWriter sizer = BlockWriter.toStream(OutputStream.nullOutputStream(), "size estimate");
        sizer.writeSectionHeader(section);
        for (InterfaceDescription d : idbs) {
            sizer.writeInterface(d);
        }
        long headers = sizer.bytesWritten() + sectionReserve;
        long limit = limit();
        List<Long> observed = new ArrayList<>();
        byte[][] scratch = {new byte[2048]};
        long[] used = {headers};
        Plan plan = new Plan();
        {
            Walk walk = walk(heads, idbs, new Sink() {
                @Override
                public boolean fits(long frame, int blockLength) {
                    if (used[0] + blockLength > limit) {
                        return false;
                    }
                    used[0] += blockLength;
                    return true;
                }

                @Override
                public void journal(JournalEntry e, byte[] text) {
                }

                @Override
                public void interfaceAdded(InterfaceDescription d) {
                }

                @Override
                public void packet(int input, int ifId, long frame, ClassicCursor c, int flags) {
                    if (commenter != null) {
                        int len = c.capturedLength();
                        if (scratch[0].length < len) {
                            scratch[0] = new byte[Math.max(len, scratch[0].length * 2)];
                        }
                        System.arraycopy(c.array(), c.payloadOffset(), scratch[0], 0, len);
                        commenter.observe(frame, c.timestampNanos(), idbs[input].linkType().value(), scratch[0], len);
                        observed.add(frame);
                    }
                }
            });
            if (walk.cut) {
                plan.itemsBeforeCut = walk.items;
                plan.cutNanos = walk.cutNanos;
            }
        }
        if (commenter != null) {
            long growth = 0;
            for (long frame : observed) {
                growth += commentOptions(commenter.comments(frame));
            }
            plan.commentsFit = used[0] + growth <= limit;
        }
        return plan;
    }

    private Result write(BlockWriter w, Heads heads, InterfaceDescription[] idbs, SectionHeader section, Plan plan) {
        int n = inputs.size();
        Result r = new Result();
        r.written = new long[n];
        r.loopbackWritten = new long[n];
        r.resumeOffsets = new long[n];
        w.writeSectionHeader(section);
        for (InterfaceDescription d : idbs) {
            w.writeInterface(d);
        }
        long limit = limit();
        FrameCommenter comments = plan != null && plan.commentsFit ? commenter : null;
        Walk walk = walk(heads, idbs, new Sink() {
            @Override
            public boolean fits(long frame, int blockLength) {
                if (plan != null) {
                    return plan.itemsBeforeCut < 0 || frame <= plan.itemsBeforeCut;
                }
                return w.bytesWritten() + blockLength <= limit;
            }

            @Override
            public void journal(JournalEntry e, byte[] text) {
                w.writeJournal(text);
                r.journalEntries++;
            }

            @Override
            public void interfaceAdded(InterfaceDescription d) {
                w.writeInterface(d);
            }

            @Override
            public void packet(int input, int ifId, long frame, ClassicCursor c, int flags) {
                List<String> texts = comments == null ? List.of() : comments.comments(frame);
                if (texts.isEmpty()) {
                    Tsresol res = w.resolutionOf(ifId);
                    long units = res == Tsresol.NANOS ? c.timestampNanos() : res.toUnits(c.timestampNanos());
                    w.writeEpb(ifId, units, c.originalLength(), c.array(), c.payloadOffset(), c.capturedLength(), flags);
                } else {
                    PacketOptions.Builder o = PacketOptions.builder().comments(texts);
                    if (flags >= 0) {
                        o.flags(flags);
                    }
                    w.writePacket(ifId, c.timestampNanos(), c.originalLength(), c.array(), c.payloadOffset(),
                            c.capturedLength(), o.build());
                }
                r.packets++;
                r.written[input]++;
                int ifindex = LinkFlags.sll2InterfaceIndex(idbs[input].linkType().value(), c.array(),
                        c.payloadOffset(), c.capturedLength());
                if (ifindex >= 0 && ifindex == loopbackIndex) {
                    r.loopbackWritten[input]++;
                }
            }
        });
        for (int i = 0; i < n; i++) {
            while (heads.has[i] && heads.cursors[i].timestampNanos() <= toNanos) {
                if (!skipped(i, heads.cursors[i])) {
                    r.packetsNotWritten++; // only after a cut: otherwise the walk took them all
                }
                heads.advance(i);
            }
            r.resumeOffsets[i] = heads.has[i] ? heads.cursors[i].recordOffset() : -1;
            r.inputTruncatedAt.add(heads.cursors[i].truncatedAt());
        }
        String note = null;
        if (walk.cut) {
            r.capped = true;
            r.cutNanos = walk.cutNanos;
            long journalLeft = journal.size() - walk.nextJournal;
            note = "pcapunit: file size cap of " + maxBytes + " bytes reached after frame " + walk.items + "; "
                    + r.packetsNotWritten + " later packet(s) were not written"
                    + (journalLeft > 0 ? " nor " + journalLeft + " journal entr(y/ies)" : "");
            w.writeJournal(JournalEntry.builder(instant(walk.cutNanos))
                    .field(JournalKey.MESSAGE, note)
                    .field(JournalKey.SYSLOG_IDENTIFIER, "pcapunit")
                    .field(JournalKey.PCAPUNIT_EVENT, SIZE_CAP_EVENT)
                    .build());
            r.journalEntries++;
        }
        for (int i = 0; i < n; i++) {
            InterfaceStatistics s = statistics.of(i, r.written[i], r.loopbackWritten[i]);
            if (note != null) {
                String cut = note;
                s = (s == null ? InterfaceStatistics.builder().build() : s).toBuilder()
                        .comment(s == null ? cut : s.comment().map(c -> c + "; " + cut).orElse(cut)).build();
            }
            if (s != null) {
                w.writeStatistics(i, s);
            }
        }
        return r;
    }

    // ---- the merge both passes share ------------------------------------------------------------

    /** Where a pass puts what the walk decides to write. */
    private interface Sink {
        /** Whether item {@code frame} (1-based), a block of {@code blockLength} bytes, may be written. */
        boolean fits(long frame, int blockLength);

        /** Entry {@code e}, encoded as {@code text}. */
        void journal(JournalEntry e, byte[] text);

        /** Interface {@code d} gets the next id; its first packet follows. */
        void interfaceAdded(InterfaceDescription d);

        /** A packet of {@code input}, written on interface {@code ifId}. */
        void packet(int input, int ifId, long frame, ClassicCursor c, int flags);
    }

    private static final class Walk {
        long items;
        int nextJournal;
        boolean cut;
        long cutNanos = -1;
        /** Per (input, ifindex): the interface id the pass gave it. */
        final Map<Long, Integer> interfaceIds = new HashMap<>();
        int nextInterfaceId;
    }

    /**
     * Packets of the window in timestamp order (the lower input first on a tie), each journal
     * entry before the first packet later than it, then the remaining entries; stops at the
     * first item that does not fit.
     */
    private Walk walk(Heads heads, InterfaceDescription[] idbs, Sink sink) {
        Walk walk = new Walk();
        walk.nextInterfaceId = idbs.length;
        int i;
        while ((i = heads.pick()) >= 0) {
            ClassicCursor c = heads.cursors[i];
            if (skipped(i, c)) {
                heads.advance(i);
                continue;
            }
            long t = c.timestampNanos();
            if (!journalUpTo(walk, t, sink)) {
                return walk;
            }
            int flags = LinkFlags.epbFlags(idbs[i].linkType().value(), inputs.get(i).ownMac, c.array(),
                    c.payloadOffset(), c.capturedLength());
            int length = 32 + BlockWriter.pad4(c.capturedLength()) + (flags >= 0 ? 12 : 0);
            int ifId = i;
            InterfaceDescription added = null;
            int ifindex = inputs.get(i).interfaces == null ? -1
                    : LinkFlags.sll2InterfaceIndex(idbs[i].linkType().value(), c.array(), c.payloadOffset(),
                            c.capturedLength());
            if (ifindex >= 0) {
                long key = ((long) i << 32) | (ifindex & 0xffffffffL);
                Integer known = walk.interfaceIds.get(key);
                if (known != null) {
                    ifId = known;
                } else if (realInterface(i, ifindex, key).isPresent()) {
                    InterfaceDescription real = realInterface(i, ifindex, key).get();
                    InterfaceDescription.Builder b = idbs[i].toBuilder();
                    real.name().ifPresent(b::name);
                    real.description().ifPresent(b::description);
                    added = b.build();
                    length += interfaceBlockLength(added);
                    ifId = walk.nextInterfaceId;
                }
            }
            if (!sink.fits(walk.items + 1, length)) {
                walk.cut = true;
                walk.cutNanos = t;
                return walk;
            }
            if (added != null) {
                sink.interfaceAdded(added);
                walk.interfaceIds.put(((long) i << 32) | (ifindex & 0xffffffffL), walk.nextInterfaceId++);
            }
            sink.packet(i, ifId, ++walk.items, c, flags);
            heads.advance(i);
        }
        journalUpTo(walk, Long.MAX_VALUE, sink);
        return walk;
    }

    private boolean skipped(int i, ClassicCursor c) {
        Skip skip = inputs.get(i).skip;
        return skip != null && skip.test(c.linkType().value(), c.array(), c.payloadOffset(), c.capturedLength());
    }

    /** The interface behind {@code ifindex} on input {@code i}; looked up once per conversion. */
    private Optional<InterfaceDescription> realInterface(int i, int ifindex, long key) {
        return interfaces.computeIfAbsent(key, k -> Optional.ofNullable(inputs.get(i).interfaces.apply(ifindex)));
    }

    private static int interfaceBlockLength(InterfaceDescription d) {
        BlockWriter sizer = BlockWriter.toStream(OutputStream.nullOutputStream(), "size estimate");
        sizer.writeSectionHeader(SectionHeader.builder().build());
        long before = sizer.bytesWritten();
        sizer.writeInterface(d);
        return (int) (sizer.bytesWritten() - before);
    }

    /** Writes the entries not later than {@code t}; false (and a cut) when one does not fit. */
    private boolean journalUpTo(Walk walk, long t, Sink sink) {
        while (walk.nextJournal < journal.size()) {
            JournalEntry e = journal.get(walk.nextJournal);
            long at = BlockWriter.nanos(e.timestamp());
            if (at > t) {
                break;
            }
            byte[] text = encoded[walk.nextJournal];
            if (text == null) {
                text = Journal.encode(e);
                encoded[walk.nextJournal] = text;
            }
            if (!sink.fits(walk.items + 1, BlockWriter.journalBlockLength(text))) {
                walk.cut = true;
                walk.cutNanos = at;
                return false;
            }
            sink.journal(e, text);
            walk.items++;
            walk.nextJournal++;
        }
        return true;
    }

    /** Bytes {@code opt_comment} options add to a packet block (plus the end of options if alone). */
    private static long commentOptions(List<String> comments) {
        long bytes = 0;
        for (String c : comments) {
            bytes += 4 + BlockWriter.pad4(c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        return bytes == 0 ? 0 : bytes + 4;
    }

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }
}
