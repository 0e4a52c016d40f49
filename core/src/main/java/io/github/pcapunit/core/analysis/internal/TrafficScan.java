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

    /** The observer {@link #observed} set on this thread, until a scan takes it. */
    private static final ThreadLocal<Observation> OBSERVING = new ThreadLocal<>();

    private static final class Observation {
        final PacketObserver observer;
        boolean taken;

        Observation(PacketObserver observer) {
            this.observer = observer;
        }
    }

    /**
     * Runs {@code work}, and the first scan it starts on this thread hands each packet it decodes
     * and keeps to {@code observer} (see {@link PacketObserver}); later scans, and scans on other
     * threads, are not observed. Returns whether a scan took the observer: false when {@code work}
     * started none (e.g. its traffic had been scanned before), so the caller reads the file itself.
     *
     * <pre>{@code
     * boolean listed = TrafficScan.observed(listing::packet, traffic::diagnoses);
     * }</pre>
     */
    public static boolean observed(PacketObserver observer, Runnable work) {
        java.util.Objects.requireNonNull(observer, "observer");
        Observation o = new Observation(observer);
        Observation outer = OBSERVING.get();
        OBSERVING.set(o);
        try {
            work.run();
        } finally {
            if (outer == null) {
                OBSERVING.remove();
            } else {
                OBSERVING.set(outer);
            }
        }
        return o.taken;
    }

    /** The observer {@link #observed} left for the scan starting on this thread, or null. */
    private static PacketObserver takeObserver() {
        Observation o = OBSERVING.get();
        if (o == null || o.taken) {
            return null;
        }
        o.taken = true;
        return o.observer;
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
        return scan(file, matcher, result, Handoff.worthIt(file));
    }

    /** {@link #scan(Path, PacketMatcher, CaptureResult)}, the analysis on a second thread or not. */
    static Scan scan(Path file, PacketMatcher matcher, CaptureResult result, boolean twoThreads) {
        PacketObserver observer = takeObserver();
        // each packet once, however many interfaces saw it
        PacketCopies analyzer = new PacketCopies(twoThreads ? new Analyzer(Handoff.expectedTcpFlows(file)) : new Analyzer());
        PacketVerdicts verdicts = new PacketVerdicts();
        Handoff handoff = twoThreads ? new Handoff(analyzer, matcher, observer) : null;
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
                if (k == PcapReader.RecordKind.PACKET && handoff != null) {
                    long nanos = r.timestampNanos();
                    if (fileFirstNanos < 0 || nanos < fileFirstNanos) {
                        fileFirstNanos = nanos; // as below
                    }
                    // decoded (and matched) on the analysing thread; here only a packet with a verdict
                    if (r.hasOption(PacketVerdicts.EPB_VERDICT)) {
                        decodeCurrent(r, f, names);
                        if (matcher == null || matcher.matches(f)) {
                            verdicts.accept(r, f);
                        }
                    }
                    handoff.hand(r, names);
                } else if (k == PcapReader.RecordKind.PACKET) {
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
                        if (observer != null) {
                            observer.packet(f);
                        }
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
            if (handoff != null) {
                handoff.finish();
            }
        } finally {
            if (handoff != null) {
                handoff.abort();
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

    /**
     * The analysis of a large file on a thread of its own, so that reading (this thread) and
     * decoding + folding packets into the flow state (the other) share two cores. The reader
     * copies each packet's bytes and frame fields into a batch and hands full batches over; the
     * analysing thread decodes, matches and folds them in file order, as the one-thread loop
     * does. Batches are recycled: nothing is allocated per packet. The reader's other work (the
     * packets with an {@code epb_verdict}, statistics, journal) stays on its thread. With a
     * {@link PacketObserver}, each packet is decoded into a field set of its batch's own, and a
     * third thread hands the folded batches' kept packets to the observer, in order, before the
     * batch goes back to the reader.
     */
    static final class Handoff {
        /** Files (compressed or not) from this size are worth a second thread. */
        static final long MIN_BYTES = 4L << 20;
        private static final int BATCH = 512;
        private static final int BATCHES = 8;
        /**
         * A batch is handed over once it holds this many bytes even if not full: captures of large
         * packets (64 KiB TSO segments) keep the batches in flight to a few MiB.
         */
        private static final int BATCH_BYTES = 1 << 20;

        /** Packets of one hand-over: their bytes and what {@link #decodeCurrent} takes from the reader. */
        private static final class Batch {
            byte[] data = new byte[64 << 10];
            int used;
            final int[] offsets = new int[BATCH];
            final int[] lengths = new int[BATCH];
            final long[] frames = new long[BATCH];
            final long[] nanos = new long[BATCH];
            final int[] interfaceIds = new int[BATCH];
            final String[] interfaceNames = new String[BATCH];
            final io.github.pcapunit.core.pcapng.Direction[] directions = new io.github.pcapunit.core.pcapng.Direction[BATCH];
            final int[] originalLengths = new int[BATCH];
            final int[] linkTypes = new int[BATCH];
            /** Whether the packet's section had several interfaces when it was read (copies possible). */
            final boolean[] several = new boolean[BATCH];
            /** With an observer: each packet's decoded fields, and whether the filter kept it. */
            final PacketFields[] fields;
            final boolean[] kept;
            int size;
            boolean last;

            Batch(boolean observed) {
                fields = observed ? new PacketFields[BATCH] : null;
                kept = observed ? new boolean[BATCH] : null;
                if (observed) {
                    for (int i = 0; i < BATCH; i++) {
                        fields[i] = new PacketFields();
                    }
                }
            }
        }

        private final PacketCopies copies;
        private final PacketMatcher matcher;
        private final java.util.concurrent.BlockingQueue<Batch> full = new java.util.concurrent.ArrayBlockingQueue<>(BATCHES + 1);
        private final java.util.concurrent.BlockingQueue<Batch> free = new java.util.concurrent.ArrayBlockingQueue<>(BATCHES);
        private final Thread worker;
        private final PacketObserver observer;
        /** Folded batches on their way to the observer's thread; null without an observer. */
        private final java.util.concurrent.BlockingQueue<Batch> folded;
        private final Thread observing;
        private volatile Throwable failure;
        private Batch batch;
        private boolean done;

        /**
         * Whether to read {@code file} with a second thread: it is large, there are two processors,
         * and the system property {@code pcapunit.scan.threads} is not {@code 1} (which keeps the
         * scan on one thread, e.g. to compare the two).
         */
        static boolean worthIt(Path file) {
            if (Runtime.getRuntime().availableProcessors() < 2
                    || "1".equals(System.getProperty("pcapunit.scan.threads"))) {
                return false;
            }
            try {
                return java.nio.file.Files.size(file) >= MIN_BYTES;
            } catch (java.io.IOException | RuntimeException e) {
                return false; // the reader will say what is wrong with the file
            }
        }

        /**
         * TCP connections to size the flow table for: one per 1,500 bytes of capture (the 1 M-packet
         * bench file holds one per ~1,900; a {@code .gz} counted as 8 times its size, gzip -1 packs
         * that file 10:1), at most 2^20 - a larger table would cost more to allocate than
         * rehashing saves.
         */
        static int expectedTcpFlows(Path file) {
            try {
                long bytes = java.nio.file.Files.size(file);
                if (file.getFileName() != null && file.getFileName().toString().endsWith(".gz")) {
                    bytes *= 8;
                }
                return (int) Math.min(1 << 20, Math.max(1 << 14, bytes / 1500));
            } catch (java.io.IOException | RuntimeException e) {
                return 1 << 14;
            }
        }

        Handoff(PacketCopies copies, PacketMatcher matcher) {
            this(copies, matcher, null);
        }

        /** With a non-null {@code observer}, which sees each kept packet (see {@link PacketObserver}). */
        Handoff(PacketCopies copies, PacketMatcher matcher, PacketObserver observer) {
            this.copies = copies;
            this.matcher = matcher;
            this.observer = observer;
            for (int i = 0; i < BATCHES; i++) {
                free.add(new Batch(observer != null));
            }
            folded = observer != null ? new java.util.concurrent.ArrayBlockingQueue<>(BATCHES + 1) : null;
            worker = new Thread(this::analyse, "pcapunit-analysis");
            worker.setDaemon(true);
            observing = observer != null ? new Thread(this::observe, "pcapunit-observer") : null;
            if (observing != null) {
                observing.setDaemon(true);
                observing.start();
            }
            worker.start();
            batch = take(free);
        }

        /** Hands over the reader's current packet. */
        void hand(PcapReader r, Names names) {
            Batch b = batch;
            int i = b.size;
            int len = r.capturedLength();
            if (b.used + len > b.data.length) {
                b.data = java.util.Arrays.copyOf(b.data, Math.max(b.data.length * 2, b.used + len));
            }
            System.arraycopy(r.payloadArray(), r.payloadOffset(), b.data, b.used, len);
            b.offsets[i] = b.used;
            b.lengths[i] = len;
            b.used += len;
            b.frames[i] = r.frameNumber();
            b.nanos[i] = r.timestampNanos();
            int id = r.interfaceId();
            b.interfaceIds[i] = id;
            b.interfaceNames[i] = names.of(r, id);
            b.directions[i] = r.direction();
            b.originalLengths[i] = r.originalLength();
            b.linkTypes[i] = r.linkType().value();
            b.several[i] = r.interfaceCount() > 1; // as PacketCopies asks it on one thread
            b.size = i + 1;
            if (b.size == BATCH || b.used >= BATCH_BYTES) {
                put(b);
                batch = take(free);
            }
        }

        /** Hands over the last packets and waits for the analysis; rethrows what failed it. */
        void finish() {
            Batch b = batch;
            batch = null;
            b.last = true;
            put(b);
            done = true;
            join();
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }

        /** After a failed read: ends the analysing thread. */
        void abort() {
            if (done) {
                return;
            }
            done = true;
            // the batch being filled (none is allocated: the read may have failed for want of memory)
            Batch b = batch != null ? batch : take(free);
            batch = null;
            b.size = 0;
            b.last = true;
            put(b);
            join();
        }

        private void analyse() {
            PacketFields f = new PacketFields();
            try {
                for (Batch b = take(full); ; b = take(full)) {
                    if (failure == null) {
                        try {
                            fold(b, f);
                        } catch (Throwable t) {
                            failure = t; // reported by finish(); the batches still go back to the reader
                        }
                    }
                    if (folded != null) {
                        boolean last = b.last; // read first: once handed on, b may be recycled and refilled
                        put(folded, b); // the observer's thread recycles it, and ends at the last
                        if (last) {
                            return;
                        }
                        continue;
                    }
                    if (b.last) {
                        return;
                    }
                    b.size = 0;
                    b.used = 0;
                    free.add(b);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** The observer's thread: hands each folded batch's kept packets over, then recycles it. */
        private void observe() {
            try {
                for (Batch b = take(folded); ; b = take(folded)) {
                    if (failure == null) {
                        try {
                            for (int i = 0; i < b.size; i++) {
                                if (b.kept[i]) {
                                    observer.packet(b.fields[i]);
                                }
                            }
                        } catch (Throwable t) {
                            failure = t; // reported by finish(), as the analysis's own
                        }
                    }
                    if (b.last) {
                        return;
                    }
                    b.size = 0;
                    b.used = 0;
                    free.add(b);
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** What the one-thread loop does with each packet: decode, match, fold (verdicts aside). */
        private void fold(Batch b, PacketFields reused) {
            for (int i = 0; i < b.size; i++) {
                PacketFields f = b.fields != null ? b.fields[i] : reused;
                f.frameNumber = b.frames[i];
                f.epochNanos = b.nanos[i];
                f.interfaceId = b.interfaceIds[i];
                f.interfaceName = b.interfaceNames[i];
                f.direction = b.directions[i];
                f.capturedLength = b.lengths[i];
                f.originalLength = b.originalLengths[i];
                PacketDecoder.decode(b.data, b.offsets[i], b.lengths[i], b.linkTypes[i], f);
                boolean keep = matcher == null || matcher.matches(f);
                if (keep) {
                    copies.accept(f, b.data, b.offsets[i], b.lengths[i], b.several[i]);
                }
                if (b.kept != null) {
                    b.kept[i] = keep;
                }
            }
        }

        private void put(Batch b) {
            put(full, b);
        }

        private static void put(java.util.concurrent.BlockingQueue<Batch> q, Batch b) {
            boolean interrupted = false;
            while (true) {
                try {
                    q.put(b);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private static Batch take(java.util.concurrent.BlockingQueue<Batch> q) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return q.take();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void join() {
            join(worker);
            if (observing != null) {
                join(observing);
            }
        }

        private static void join(Thread thread) {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
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
