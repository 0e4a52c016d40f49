package io.github.pcapunit.core.internal.kernel;

import io.github.pcapunit.core.CapturedTraffic;
import io.github.pcapunit.core.Drop;
import io.github.pcapunit.core.EvidenceSource;
import io.github.pcapunit.core.Flow;
import io.github.pcapunit.core.PcapConversion;
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

    /** Annotates {@code pcapng} in place; returns the number of packets annotated (0: file untouched). */
    public static int annotate(Path pcapng) {
        CapturedTraffic traffic = CapturedTraffic.read(pcapng);
        List<Drop> drops = traffic.drops().stream()
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
        return comments.isEmpty() ? 0 : PcapConversion.addComments(pcapng, new LinkedHashMap<>(comments));
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
