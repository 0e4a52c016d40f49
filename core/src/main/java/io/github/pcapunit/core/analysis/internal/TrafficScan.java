package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.SectionHeader;
import io.github.pcapunit.core.packet.internal.PacketDecoder;
import io.github.pcapunit.core.packet.internal.PacketFields;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** One pass over a capture file with the reader's cursor: decode, match, analyse. */
public final class TrafficScan {

    private TrafficScan() {
    }

    /** What one pass found. */
    public static final class Scan {
        public final AnalysisResult wire;
        public final List<JournalEntry> journal;
        public final long osDrop;
        public final long ifDrop;
        /** Why the file is cut short, or null. */
        public final String truncation;
        /** The evidence status stored in the file (or the capture's), or null when the file has none. */
        public final EvidenceStatus evidenceStatus;
        public final List<Drop> drops;
        /** Time of the file's first packet (before any filter), the zero of relative times; -1 if none. */
        public final long baseNanos;
        final String lossText;
        private volatile Fates.Result verdicts;

        /** The description of each captured interface ("" for one in the JVM's own namespace). */
        final List<String> captureSites;

        Scan(AnalysisResult wire, List<JournalEntry> journal, long osDrop, long ifDrop, String truncation,
                EvidenceStatus evidenceStatus, List<Drop> drops, long baseNanos, String lossText,
                List<String> captureSites) {
            this.captureSites = List.copyOf(captureSites);
            this.wire = wire;
            this.journal = List.copyOf(journal);
            this.osDrop = osDrop;
            this.ifDrop = ifDrop;
            this.truncation = truncation;
            this.evidenceStatus = evidenceStatus;
            this.drops = List.copyOf(drops);
            this.baseNanos = baseNanos;
            this.lossText = lossText;
        }

        /** One verdict per flow, computed on first use (a listing of drops does not pay for it). */
        public Fates.Result verdicts() {
            Fates.Result v = verdicts;
            if (v == null) {
                v = Fates.verdicts(wire, drops, baseNanos, captureSites);
                verdicts = v;
            }
            return v;
        }

        /** One sentence, or null when the capture is complete. */
        public String incompleteness() {
            if (lossText == null && truncation == null) {
                return null;
            }
            StringBuilder s = new StringBuilder("the capture is incomplete: ");
            if (lossText != null) {
                s.append(lossText);
            }
            if (truncation != null) {
                s.append(lossText != null ? "; " : "").append(truncation);
            }
            return s.toString();
        }
    }

    /** Interface names by id, refreshed only when a new section or interface appears. */
    static final class Names {
        private SectionHeader section;
        private String[] names = new String[0];

        String of(PcapReader r, int id) {
            if (id < 0) {
                return null;
            }
            if (id >= names.length || r.sectionHeader() != section) {
                section = r.sectionHeader();
                List<InterfaceDescription> ifs = r.interfaces();
                names = new String[ifs.size()];
                for (int i = 0; i < names.length; i++) {
                    names[i] = ifs.get(i).name().orElse(null);
                }
            }
            return id < names.length ? names[id] : null;
        }
    }

    /** Fills the frame fields of {@code f} from the reader's current packet and decodes it. */
    static void decodeCurrent(PcapReader r, PacketFields f, Names names) {
        f.frameNumber = r.frameNumber();
        f.epochNanos = r.timestampNanos();
        f.interfaceId = r.interfaceId();
        f.interfaceName = names.of(r, f.interfaceId);
        f.direction = r.direction();
        f.capturedLength = r.capturedLength();
        f.originalLength = r.originalLength();
        PacketDecoder.decode(r.payloadArray(), r.payloadOffset(), r.capturedLength(), r.linkType().value(), f);
    }

    /** Analyses {@code file}, keeping only packets {@code matcher} accepts (all when null). */
    public static Scan scan(Path file, PacketMatcher matcher, CaptureResult result) {
        PacketCopies analyzer = new PacketCopies(new Analyzer()); // each packet once, however many interfaces saw it
        PacketVerdicts verdicts = new PacketVerdicts();
        PacketFields f = new PacketFields();
        Names names = new Names();
        long fileFirstNanos = -1;
        List<JournalEntry> journal;
        Map<String, long[]> lossByInterface = new LinkedHashMap<>();
        String truncation = null;
        List<String> captureSites = new ArrayList<>();
        try (PcapReader r = PcapReader.open(file)) {
            int section = 0;
            SectionHeader current = null;
            for (PcapReader.RecordKind k = r.next(); k != PcapReader.RecordKind.END; k = r.next()) {
                if (k == PcapReader.RecordKind.PACKET) {
                    decodeCurrent(r, f, names);
                    // the earliest packet, not the file's first: TCP stamps a SYN when it builds it, so
                    // a SYN that waited for ARP comes after the ARP request in the file with an
                    // earlier time, and relative times would print "+-0.000 s"
                    if (fileFirstNanos < 0 || f.epochNanos < fileFirstNanos) {
                        fileFirstNanos = f.epochNanos;
                    }
                    if (matcher == null || matcher.matches(f)) {
                        analyzer.accept(r, f);
                        verdicts.accept(r, f);
                    }
                } else if (k == PcapReader.RecordKind.STATISTICS) {
                    if (r.sectionHeader() != current) {
                        current = r.sectionHeader();
                        section++;
                    }
                    int id = r.statisticsInterfaceId();
                    List<InterfaceDescription> ifs = r.interfaces();
                    String name = id < ifs.size() ? ifs.get(id).name().orElse("interface " + id) : "interface " + id;
                    InterfaceStatistics st = r.statistics();
                    // ISBs are cumulative: the last one per interface of a section counts.
                    lossByInterface.put(section + "/" + id + "/" + name, new long[] {
                            st.osDrop().orElse(0), st.ifDrop().orElse(0)});
                }
            }
            journal = new ArrayList<>(r.journalEntries());
            for (InterfaceDescription idb : r.interfaces()) {
                captureSites.add(idb.description().orElse(""));
            }
            if (r.truncatedAt().isPresent()) {
                truncation = "the file " + file + " ends in an incomplete record at byte "
                        + r.truncatedAt().getAsLong();
            }
        }
        AnalysisResult wire = analyzer.finish();

        long osDrop = 0;
        long ifDrop = 0;
        List<String[]> perInterface = new ArrayList<>();
        if (result != null && !result.statistics().isEmpty()) {
            for (CaptureStatistics s : result.statistics()) {
                osDrop += s.kernelBufferDrops();
                ifDrop += s.interfaceDrops();
                perInterface.add(new String[] {s.interfaceName(), Long.toString(s.kernelBufferDrops()),
                        Long.toString(s.interfaceDrops())});
            }
            if (result.truncatedAt().isPresent()) {
                truncation = "the size cap stopped writing at " + result.truncatedAt().get()
                        + (truncation != null ? "; " + truncation : "");
            }
        } else {
            for (Map.Entry<String, long[]> e : lossByInterface.entrySet()) {
                osDrop += e.getValue()[0];
                ifDrop += e.getValue()[1];
                String name = e.getKey().substring(e.getKey().indexOf('/', e.getKey().indexOf('/') + 1) + 1);
                perInterface.add(new String[] {name, Long.toString(e.getValue()[0]), Long.toString(e.getValue()[1])});
            }
        }
        String lossText = null;
        if (osDrop > 0 || ifDrop > 0) {
            StringBuilder s = new StringBuilder();
            if (osDrop > 0) {
                s.append("the kernel buffer dropped ").append(osDrop).append(osDrop == 1 ? " packet" : " packets");
            }
            if (ifDrop > 0) {
                s.append(s.length() > 0 ? " and " : "").append("the interface dropped ").append(ifDrop)
                        .append(ifDrop == 1 ? " packet" : " packets");
            }
            lossText = s.toString();
        }
        EvidenceStatus status = result != null ? result.evidenceStatus() : statusOf(journal);

        List<Drop> drops = new ArrayList<>(WireDrops.captureLoss(perInterface));
        long base = fileFirstNanos >= 0 ? fileFirstNanos : wire.firstNanos;
        drops.addAll(WireDrops.derive(wire, base));
        drops.addAll(verdicts.drops()); // the filter already chose their packets
        for (Drop d : EvidenceProviders.collect(new AnalysisContext(file, journal, wire))) {
            // Kernel/firewall drops follow the filter too when they name a flow.
            if (matcher == null || d.flow().isEmpty() || matcher.matches(fieldsOf(d.flow().get()))) {
                drops.add(d);
            }
        }
        drops.sort(Comparator.comparing((Drop d) -> d.kind() == io.github.pcapunit.core.analysis.DropKind.CAPTURE_LOSS ? 0 : 1)
                .thenComparing(d -> d.time().orElse(java.time.Instant.MIN)));
        return new Scan(wire, journal, osDrop, ifDrop, truncation, status, drops, base, lossText, captureSites);
    }

    /** A flow as decoded fields, for matching it against a filter. */
    static PacketFields fieldsOf(io.github.pcapunit.core.packet.Flow flow) {
        PacketFields f = new PacketFields();
        byte[] src = flow.source().address().getAddress();
        byte[] dst = flow.destination().address().getAddress();
        f.ipVersion = src.length == 4 ? 4 : 6;
        System.arraycopy(src, 0, f.src, 0, src.length);
        System.arraycopy(dst, 0, f.dst, 0, dst.length);
        switch (flow.protocol()) {
            case TCP: f.protocol = 6; break;
            case UDP: f.protocol = 17; break;
            case ICMP: f.protocol = 1; break;
            case ICMPV6: f.protocol = 58; break;
            default: f.protocol = 255; break;
        }
        f.srcPort = flow.source().port();
        f.dstPort = flow.destination().port();
        return f;
    }

    /** The evidence status entry of the journal (the first, if a file holds several), or null. */
    private static EvidenceStatus statusOf(List<JournalEntry> journal) {
        for (JournalEntry e : journal) {
            java.util.Optional<EvidenceStatus> status = EvidenceStatus.fromJournalEntry(e);
            if (status.isPresent()) {
                return status.get();
            }
        }
        return null;
    }

    /**
     * The decoded packets of {@code file} matching {@code matcher}, each a fresh copy; the
     * stream closes the reader.
     */
    public static Stream<PacketFields> packets(Path file, PacketMatcher matcher) {
        return packets(file, matcher == null ? (Predicate<PacketFields>) f -> true : matcher::matches);
    }

    /**
     * The decoded packets of {@code file} that {@code keep} accepts, each a fresh copy (only those
     * are copied); the stream closes the reader. E.g. {@code packets(file, f -> f.frameNumber == 7)}.
     */
    public static Stream<PacketFields> packets(Path file, Predicate<PacketFields> keep) {
        PcapReader r = PcapReader.open(file);
        PacketFields f = new PacketFields();
        Names names = new Names();
        Spliterator<PacketFields> sp = new Spliterators.AbstractSpliterator<PacketFields>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super PacketFields> action) {
                while (r.nextPacket()) {
                    decodeCurrent(r, f, names);
                    if (keep.test(f)) {
                        action.accept(f.copy());
                        return true;
                    }
                }
                return false;
            }
        };
        return StreamSupport.stream(sp, false).onClose(r::close);
    }
}
