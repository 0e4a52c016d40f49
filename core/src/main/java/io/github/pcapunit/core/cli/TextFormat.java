package io.github.pcapunit.core.cli;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Diagnosis;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.analysis.internal.PacketMatcher;
import io.github.pcapunit.core.analysis.internal.TrafficScan;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.packet.internal.DecodedPackets;
import io.github.pcapunit.core.packet.internal.PacketFields;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text rendering of a capture in the spirit of {@code pktmon format}: one line per packet
 * with frame number, time, interface, direction ({@code Rx}/{@code Tx}/{@code --}), protocol,
 * source → destination, flags and lengths; journal entries stored in the file (kernel drops,
 * test marks) appear between the packets at their time as {@code Journal:} lines with their
 * {@code MESSAGE}; a footer gives the packet count, completeness, the flows per {@link Fate}, and
 * the verdict of every flow that failed or lost packets with its evidence (then drop records no
 * flow claims), and the diagnosis of every destination that was not reachable.
 * Immutable.
 *
 * <pre>{@code
 * System.out.print(TextFormat.relative().format(CapturedTraffic.read(Path.of("db.pcapng"))));
 * //      1 +0.000000 lo       Tx TCP 127.0.0.1:40000 → 127.0.0.1:5000 [SYN] seq=1 win=65495 len=0 ttl=64 (74 bytes)
 * //        +0.000312 journal     mark: test placesOrder ended
 * }</pre>
 *
 * <p>From a shell: {@code java -cp pcapunit-core.jar io.github.pcapunit.core.cli.Pcapunit format FILE}
 * (see {@link Pcapunit}).
 */
public final class TextFormat {

    private final boolean absolute;
    private final boolean footer;

    private TextFormat(boolean absolute, boolean footer) {
        this.absolute = absolute;
        this.footer = footer;
    }

    /** Times relative to the capture's earliest packet, {@code +1.022345}, seconds with microseconds. */
    public static TextFormat relative() {
        return new TextFormat(false, true);
    }

    /** Absolute UTC times, ISO-8601 with the file's precision. */
    public static TextFormat absolute() {
        return new TextFormat(true, true);
    }

    /** A copy with ({@code true}, the default) or without the footer (count, completeness, drops). */
    public TextFormat withFooter(boolean footer) {
        return new TextFormat(absolute, footer);
    }

    /**
     * One packet's line; relative times count from {@code base}.
     *
     * <pre>{@code String s = TextFormat.relative().line(packet, firstPacketTime);}</pre>
     */
    public String line(DecodedPacket packet, Instant base) {
        PacketFields f = DecodedPackets.fields(packet);
        return new PacketListing(absolute).text(f, base == null ? f.epochNanos : PacketListing.nanos(base));
    }

    /**
     * Writes every packet (of the traffic's filter, if any) and journal entry, in time order,
     * then the footer. A live traffic is settled once, and everything written comes from that
     * moment. The listing itself does not wait for the analysis, which only the footer needs.
     *
     * @throws CaptureException if {@code out} fails (the IOException is the cause)
     */
    public void write(CapturedTraffic traffic, Appendable out) {
        write(traffic, out, () -> { });
    }

    /**
     * {@link #write(CapturedTraffic, Appendable)}, calling {@code beforeFooter} between the
     * listing and the footer (e.g. to wait for an analysis run meanwhile). The command line's
     * {@code format} with a footer uses {@link #writeUtf8OneDecode} instead.
     */
    void write(CapturedTraffic traffic, Appendable out, Runnable beforeFooter) {
        write(traffic, out, null, beforeFooter);
    }

    /**
     * {@link #write(CapturedTraffic, Appendable, Runnable)} as UTF-8 to {@code out}, the packet
     * lines encoded by the listing itself (the command line's standard output).
     */
    void writeUtf8(CapturedTraffic traffic, OutputStream out, Runnable beforeFooter) throws IOException {
        Writer footer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 12);
        write(traffic, footer, out, beforeFooter);
        footer.flush();
    }

    /**
     * {@link #writeUtf8} with the listing and the footer's analysis from one read and decode of
     * the file: the analysis's scan hands each packet it decoded to the listing
     * ({@link TrafficScan#observed}), which renders it on the scan's observer thread while the
     * scan reads and folds the next ones; the footer's conclusions are derived after. Same bytes as
     * {@code writeUtf8}. When the traffic had already been scanned (nothing to observe), the
     * listing reads the file itself.
     *
     * <pre>{@code TextFormat.relative().writeUtf8OneDecode(CapturedTraffic.read(file), System.out);}</pre>
     */
    void writeUtf8OneDecode(CapturedTraffic traffic, OutputStream out) throws IOException {
        CapturedTraffic t = traffic.settled();
        long[] first = {-1};
        List<JournalEntry> journal = journalAndFirstPacket(t, first);
        journal.sort(Comparator.comparing(JournalEntry::timestamp));
        long base = first[0] >= 0 ? first[0] : journal.isEmpty() ? 0 : PacketListing.nanos(journal.get(0).timestamp());
        Writer text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 12);
        try {
            PacketListing.Feed feed = new PacketListing(absolute).feed(journal, base, out);
            boolean fed;
            try {
                fed = TrafficScan.observed(feed, t::packetCount); // the scan only: its conclusions come in the footer
            } catch (UncheckedIOException e) {
                throw e.getCause(); // writing a line failed
            }
            if (fed) {
                feed.finish();
            } else {
                PacketMatcher matcher = t.filterExpression().map(PacketMatcher::parse).orElse(null);
                new PacketListing(absolute).write(t.path(), matcher, journal, base, out);
            }
            if (footer) {
                footer(t, text);
            }
        } catch (IOException e) {
            throw new CaptureException("writing the text format of " + t.path() + " failed: " + e.getMessage(), e);
        }
        text.flush();
    }

    /** Lines to {@code bytes} when given (then nothing has gone to {@code out} before them), else to {@code out}. */
    private void write(CapturedTraffic traffic, Appendable out, OutputStream bytes, Runnable beforeFooter) {
        CapturedTraffic t = traffic.settled();
        try {
            long[] first = {-1};
            List<JournalEntry> journal = journalAndFirstPacket(t, first);
            journal.sort(Comparator.comparing(JournalEntry::timestamp));
            long base = first[0] >= 0 ? first[0] : journal.isEmpty() ? 0 : PacketListing.nanos(journal.get(0).timestamp());
            PacketMatcher matcher = t.filterExpression().map(PacketMatcher::parse).orElse(null);
            if (bytes != null) {
                new PacketListing(absolute).write(t.path(), matcher, journal, base, bytes);
            } else {
                new PacketListing(absolute).write(t.path(), matcher, journal, base, out);
            }
            if (footer) {
                beforeFooter.run();
                footer(t, out);
            }
        } catch (IOException e) {
            throw new CaptureException("writing the text format of " + t.path() + " failed: " + e.getMessage(), e);
        }
    }

    /** Count, completeness, kernel evidence status, then {@link #footerVerdicts}. */
    private static void footer(CapturedTraffic t, Appendable out) throws IOException {
        out.append(t.packetCount() + (t.packetCount() == 1 ? " packet" : " packets"))
                .append(t.filterExpression().map(f -> " matching \"" + f + "\"").orElse(""))
                .append("; ").append(t.incompleteness().orElse("capture complete")).append('\n');
        t.kernelEvidenceStatus().ifPresent(s -> append(out, s + "\n"));
        footerVerdicts(t, out);
    }

    /**
     * The file's journal entries and (in {@code first[0]}) its earliest packet's time, -1 without
     * packets, as the analysis finds them (the zero of relative times is the capture's earliest
     * packet, whatever the filter, so the listing and the verdicts count from the same instant):
     * one walk over the records that decodes nothing. The earliest, not the file's first: TCP
     * stamps a SYN when it builds it, so a SYN that waited for ARP is written after the ARP
     * request with an earlier time.
     */
    private static List<JournalEntry> journalAndFirstPacket(CapturedTraffic t, long[] first) {
        try (PcapReader r = PcapReader.open(t.path())) {
            for (PcapReader.RecordKind k = r.next(); k != PcapReader.RecordKind.END; k = r.next()) {
                if (k == PcapReader.RecordKind.PACKET && (first[0] < 0 || r.timestampNanos() < first[0])) {
                    first[0] = r.timestampNanos();
                }
            }
            return new ArrayList<>(r.journalEntries());
        }
    }

    /**
     * The footer's conclusions: capture loss, one count of flows per fate, every flow that failed
     * or lost packets as its verdict with the evidence indented, then drop records no flow
     * claims (e.g. a kernel drop without addresses).
     */
    private static void footerVerdicts(CapturedTraffic traffic, Appendable out) throws IOException {
        List<Drop> drops = traffic.drops();
        for (Drop d : drops) {
            if (d.kind() == DropKind.CAPTURE_LOSS) {
                out.append("Drop: ").append(d.toString()).append('\n');
            }
        }
        // counted and listed without the verdicts of healthy flows, which a large capture has most of
        Map<Fate, Long> counts = traffic.flowsByFate();
        if (!counts.isEmpty()) {
            long flows = 0;
            List<String> parts = new ArrayList<>();
            for (Map.Entry<Fate, Long> e : counts.entrySet()) {
                flows += e.getValue();
                parts.add(e.getValue() + " " + e.getKey().text());
            }
            out.append("Flows: ").append(String.valueOf(flows)).append(" (")
                    .append(String.join(", ", parts)).append(")\n");
        }
        // a verdict with drops has loss (Verdict.hasLoss), so these claim every drop any verdict claims
        Set<Drop> claimed = new HashSet<>();
        for (Verdict v : traffic.verdictsWithLoss()) {
            claimed.addAll(v.drops());
            out.append("Verdict: ").append(v.toString()).append('\n');
            for (String e : v.evidence()) {
                out.append("  ").append(e).append('\n');
            }
        }
        for (Drop d : drops) {
            if (d.kind() != DropKind.CAPTURE_LOSS && !claimed.contains(d)) {
                out.append("Drop: ").append(d.toString()).append('\n');
            }
        }
        for (Diagnosis d : traffic.diagnoses()) {
            if (!d.isReachable()) {
                out.append("Diagnosis: ").append(d.sentence()).append('\n');
            }
        }
    }

    private static void append(Appendable out, String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new CaptureException("writing the text format failed: " + e.getMessage(), e);
        }
    }

    /** The whole rendering as a string ({@link #write} into a StringBuilder). */
    public String format(CapturedTraffic traffic) {
        StringBuilder sb = new StringBuilder();
        write(traffic, sb);
        return sb.toString();
    }
}
