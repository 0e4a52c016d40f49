package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/** The pcap(s) → pcapng engine behind {@link io.github.pcapunit.core.pcapng.PcapConversion}. */
public final class Converter {

    /** epb_flags for a cooked-capture packet type: direction in bits 0-1, reception type in 2-4. */
    private static final long[] SLL_FLAGS = {
        1 | (1 << 2), // 0 PACKET_HOST: inbound, unicast
        1 | (3 << 2), // 1 PACKET_BROADCAST: inbound, broadcast
        1 | (2 << 2), // 2 PACKET_MULTICAST: inbound, multicast
        1 | (4 << 2), // 3 PACKET_OTHERHOST: inbound, promiscuous
        2,            // 4 PACKET_OUTGOING: outbound
    };

    /** What a run wrote. */
    public static final class Result {
        public long packets;
        public long journalEntries;
        public long bytes;
        public boolean capped;
        public long packetsNotWritten;
        public List<OptionalLong> inputTruncatedAt = new ArrayList<>();
    }

    private final SectionHeader section;
    private final List<Path> inputs;
    private final List<InterfaceDescription> overrides;
    private final List<InterfaceStatistics> stats;
    private final List<JournalEntry> journal;
    private final long maxBytes;

    public Converter(SectionHeader section, List<Path> inputs, List<InterfaceDescription> overrides,
            List<InterfaceStatistics> stats, List<JournalEntry> journal, long maxBytes) {
        this.section = section;
        this.inputs = inputs;
        this.overrides = overrides;
        this.stats = stats;
        List<JournalEntry> sorted = new ArrayList<>(journal);
        sorted.sort(Comparator.comparing(JournalEntry::timestamp));
        this.journal = sorted;
        this.maxBytes = maxBytes;
    }

    public Result run(Path out) {
        Path target = out.toAbsolutePath().normalize();
        for (Path in : inputs) {
            if (in.toAbsolutePath().normalize().equals(target)) {
                throw new IllegalArgumentException("output " + out + " is also an input;"
                        + " write the pcapng to another path");
            }
        }
        int n = inputs.size();
        RecordCursor[] cursors = new RecordCursor[n];
        try {
            for (int i = 0; i < n; i++) {
                cursors[i] = RecordCursor.open(inputs.get(i));
                if (cursors[i].isPcapng()) {
                    throw new PcapFormatException(inputs.get(i) + " is already a pcapng file (byte offset 0);"
                            + " conversion takes classic pcap inputs, as libpcap writes them", 0, Pcapng.SHB);
                }
            }
            return convert(cursors, out);
        } finally {
            for (RecordCursor c : cursors) {
                if (c != null) {
                    c.close();
                }
            }
        }
    }

    private Result convert(RecordCursor[] cursors, Path out) {
        int n = cursors.length;
        InterfaceDescription[] idbs = new InterfaceDescription[n];
        Tsresol[] res = new Tsresol[n];
        int[] cooked = new int[n];
        for (int i = 0; i < n; i++) {
            InterfaceDescription header = cursors[i].interfaces().get(0);
            InterfaceDescription o = overrides.get(i);
            InterfaceDescription.Builder b = o == null ? InterfaceDescription.builder() : o.toBuilder();
            if (o == null || !o.isLinkTypeSet()) {
                b.linkType(header.linkType());
            }
            if (o == null || !o.isSnaplenSet()) {
                b.snaplen(header.snaplen());
            }
            idbs[i] = b.build();
            res[i] = Tsresol.of(idbs[i].tsresol());
            LinkType lt = idbs[i].linkType();
            cooked[i] = lt.equals(LinkType.LINUX_SLL) ? 1 : lt.equals(LinkType.LINUX_SLL2) ? 2 : 0;
        }
        Result r = new Result();
        BlockWriter w = BlockWriter.toFile(out);
        try {
            w.writeSectionHeader(section);
            for (InterfaceDescription d : idbs) {
                w.writeInterface(d);
            }
            // room for what follows a cut: one journal entry (< 1 KiB) and one ISB per input
            long reserve = 1024 + 512L * n;
            for (InterfaceStatistics s : stats) {
                reserve += s == null ? 0 : 4L * s.comment().map(String::length).orElse(0);
            }
            long limit = maxBytes == Long.MAX_VALUE ? Long.MAX_VALUE : maxBytes - reserve;
            boolean[] has = new boolean[n];
            for (int i = 0; i < n; i++) {
                has[i] = cursors[i].nextPacket();
            }
            int nextJournal = 0;
            long cutAtNanos = 0;
            while (true) {
                int pick = -1;
                long best = Long.MAX_VALUE;
                for (int i = 0; i < n; i++) {
                    if (has[i] && (pick < 0 || cursors[i].timestampNanos() < best)) {
                        pick = i;
                        best = cursors[i].timestampNanos();
                    }
                }
                if (pick < 0) {
                    break;
                }
                while (nextJournal < journal.size()
                        && BlockWriter.nanos(journal.get(nextJournal).timestamp()) <= best) {
                    if (w.bytesWritten() + BlockWriter.journalBlockLength(journal.get(nextJournal)) > limit) {
                        break;
                    }
                    w.writeJournal(journal.get(nextJournal++));
                    r.journalEntries++;
                }
                if (nextJournal < journal.size()
                        && BlockWriter.nanos(journal.get(nextJournal).timestamp()) <= best) {
                    r.capped = true; // a journal entry did not fit
                    cutAtNanos = best;
                    break;
                }
                RecordCursor c = cursors[pick];
                int len = c.capturedLength();
                long flags = -1;
                byte[] a = c.array();
                int off = c.payloadOffset();
                if (cooked[pick] == 1 && len >= 2) {
                    int t = ((a[off] & 0xFF) << 8) | (a[off + 1] & 0xFF);
                    flags = t < SLL_FLAGS.length ? SLL_FLAGS[t] : -1;
                } else if (cooked[pick] == 2 && len >= 11) {
                    int t = a[off + 10] & 0xFF;
                    flags = t < SLL_FLAGS.length ? SLL_FLAGS[t] : -1;
                }
                long blockLen = 32 + BlockWriter.pad4(len) + (flags >= 0 ? 12 : 0);
                if (w.bytesWritten() + blockLen > limit) {
                    r.capped = true;
                    cutAtNanos = best;
                    break;
                }
                long units = res[pick] == Tsresol.NANOS ? best : res[pick].toUnits(best);
                w.writeEpb(pick, units, c.originalLength(), a, off, len, flags);
                r.packets++;
                has[pick] = c.nextPacket();
            }
            if (r.capped) {
                for (int i = 0; i < n; i++) {
                    while (has[i]) {
                        r.packetsNotWritten++;
                        has[i] = cursors[i].nextPacket();
                    }
                }
                long journalLeft = journal.size() - nextJournal;
                String cut = "pcapunit: file size cap of " + maxBytes + " bytes reached after frame "
                        + (r.packets + r.journalEntries) + "; " + r.packetsNotWritten
                        + " later packet(s) were not written"
                        + (journalLeft > 0 ? " nor " + journalLeft + " journal entr(y/ies)" : "");
                w.writeJournal(JournalEntry.builder(instant(cutAtNanos))
                        .field(JournalEntry.MESSAGE, cut)
                        .field("SYSLOG_IDENTIFIER", "pcapunit")
                        .field("PCAPUNIT_EVENT", "size_cap")
                        .build());
                r.journalEntries++;
                for (int i = 0; i < n; i++) {
                    InterfaceStatistics s = stats.get(i) == null ? InterfaceStatistics.builder().build() : stats.get(i);
                    String comment = s.comment().map(x -> x + "; " + cut).orElse(cut);
                    w.writeStatistics(i, s.toBuilder().comment(comment).build());
                }
            } else {
                while (nextJournal < journal.size()) {
                    w.writeJournal(journal.get(nextJournal++));
                    r.journalEntries++;
                }
                for (int i = 0; i < n; i++) {
                    if (stats.get(i) != null) {
                        w.writeStatistics(i, stats.get(i));
                    }
                }
            }
            for (RecordCursor c : cursors) {
                r.inputTruncatedAt.add(c.truncatedAt());
            }
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

    private static Instant instant(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }
}
