package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.analysis.internal.KernelEvidenceProvider;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.PcapConversion;
import io.github.pcapunit.core.analysis.internal.AnalysisContext;
import io.github.pcapunit.core.capture.internal.CaptureFileFinisher;
import io.github.pcapunit.core.capture.internal.JournalFields;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Adds a comment to each captured packet a kernel or firewall drop record refers to: for every
 * drop instant, the packet of the same flow captured nearest to it (within {@link #TOLERANCE}) —
 * e.g. the SYNs seen on the wire that db's INPUT chain then dropped. Wireshark shows it as the
 * frame's comment.
 *
 * <pre>{@code
 * int annotated = KernelComments.annotate(result.file());
 * }</pre>
 */
public final class KernelComments {

    /**
     * How far a captured packet and the kernel's drop of it may be apart. A veth peer may handle
     * the packet in a later softirq (or ksoftirqd) on a loaded machine, tens of milliseconds after
     * the capture's timestamp; retransmissions of one flow are at least 200 ms apart, so the
     * nearest packet within this window is the one dropped.
     */
    static final Duration TOLERANCE = Duration.ofMillis(100);

    private KernelComments() {
    }

    /** The engine's hook: every capture file and final slice is annotated (service-loaded). */
    public static final class Finisher implements CaptureFileFinisher {
        @Override
        public void finish(Path pcapng, List<JournalFields> entries, long maxFileSize) {
            annotateFile(pcapng, entries, maxFileSize);
        }
    }

    /**
     * What the engine does with a file it has just written with journal {@code entries}: when some
     * entry is a kernel or firewall drop tied to a flow, comments the packets those drops refer
     * to, within {@code maxFileSize} (0: no cap). Never throws: comments are a convenience, the
     * file stays valid without them.
     */
    public static void annotateFile(Path pcapng, List<JournalFields> entries, long maxFileSize) {
        boolean flowDrops = entries.stream().map(JournalFields::fields)
                .anyMatch(f -> ("kfree_skb".equals(f.get("PCAPUNIT_EVENT")) || "nftrace".equals(f.get("PCAPUNIT_EVENT")))
                        && f.containsKey("PCAPUNIT_SADDR"));
        if (!flowDrops) {
            return;
        }
        try {
            // The drop records come from the entries just written, as the analysis would rebuild
            // them from the file's journal; the file is read only for its packets.
            List<JournalEntry> journal = entries.stream().map(KernelComments::journalEntry).toList();
            List<Drop> drops = new KernelEvidenceProvider().drops(new AnalysisContext(pcapng, journal, null));
            annotate(pcapng, CapturedTraffic.read(pcapng), drops, maxFileSize);
        } catch (RuntimeException e) {
            // The file stays as converted, which is valid.
        }
    }

    private static JournalEntry journalEntry(JournalFields e) {
        Map<String, String> fields = new LinkedHashMap<>(e.fields());
        fields.remove(JournalEntry.REALTIME_TIMESTAMP);
        return JournalEntry.of(Instant.ofEpochSecond(0, e.timestampNanos()), fields);
    }

    /** Annotates {@code pcapng} in place; returns the number of packets annotated (0: file untouched). */
    public static int annotate(Path pcapng) {
        return annotate(pcapng, 0);
    }

    /**
     * As {@link #annotate(Path)}, but leaves the file untouched (returns 0) when the comments
     * would make it larger than {@code maxFileSize} bytes (0: no limit).
     */
    public static int annotate(Path pcapng, long maxFileSize) {
        CapturedTraffic traffic = CapturedTraffic.read(pcapng);
        return annotate(pcapng, traffic, traffic.drops(), maxFileSize);
    }

    private static int annotate(Path pcapng, CapturedTraffic traffic, List<Drop> all, long maxFileSize) {
        List<Drop> drops = all.stream()
                .filter(d -> d.source() == EvidenceSource.KERNEL || d.source() == EvidenceSource.FIREWALL)
                .filter(d -> d.flow().isPresent() && !d.times().isEmpty())
                .toList();
        if (drops.isEmpty()) {
            return 0;
        }
        Map<Flow, List<Candidate>> byFlow = new HashMap<>();
        for (Drop drop : drops) {
            byFlow.putIfAbsent(drop.flow().get(), new ArrayList<>());
        }
        traffic.packets().forEach(packet -> packet.flow().map(byFlow::get)
                .ifPresent(list -> list.add(new Candidate(packet.frameNumber(), packet.time()))));
        Map<Long, List<String>> comments = new TreeMap<>();
        for (Drop drop : drops) {
            List<Candidate> candidates = byFlow.get(drop.flow().get());
            for (Instant t : drop.times()) {
                nearest(candidates, t).ifPresent(c -> {
                    List<String> list = comments.computeIfAbsent(c.frame(), f -> new ArrayList<>());
                    String comment = "pcapunit: " + drop.description();
                    if (!list.contains(comment)) {
                        list.add(comment);
                    }
                });
            }
        }
        if (comments.isEmpty() || maxFileSize > 0 && size(pcapng) + growth(comments) > maxFileSize) {
            return 0;
        }
        return PcapConversion.addComments(pcapng, new LinkedHashMap<>(comments));
    }

    /** Upper bound of the bytes the comments add: each an option (4 + padded UTF-8), plus an end-of-options. */
    private static long growth(Map<Long, List<String>> comments) {
        long bytes = 0;
        for (List<String> list : comments.values()) {
            bytes += 4;
            for (String c : list) {
                bytes += 4 + ((c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 3) & ~3);
            }
        }
        return bytes;
    }

    private static long size(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static Optional<Candidate> nearest(List<Candidate> candidates, Instant t) {
        Candidate best = null;
        Duration bestDistance = TOLERANCE;
        for (Candidate c : candidates) {
            Duration distance = Duration.between(c.time(), t).abs();
            if (distance.compareTo(bestDistance) <= 0) {
                best = c;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private record Candidate(long frame, Instant time) {
    }
}
