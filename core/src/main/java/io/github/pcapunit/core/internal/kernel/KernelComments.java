package io.github.pcapunit.core.internal.kernel;

import io.github.pcapunit.core.CapturedTraffic;
import io.github.pcapunit.core.DecodedPacket;
import io.github.pcapunit.core.Drop;
import io.github.pcapunit.core.EvidenceSource;
import io.github.pcapunit.core.Flow;
import io.github.pcapunit.core.PcapConversion;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds a comment to each captured packet a kernel or firewall drop record refers to (same flow,
 * captured within {@link #TOLERANCE} of a drop instant) — e.g. the SYNs seen on the wire that
 * db's INPUT chain then dropped. Wireshark shows it as the frame's comment.
 *
 * <pre>{@code
 * int annotated = KernelComments.annotate(result.file());
 * }</pre>
 */
public final class KernelComments {

    /** How far a captured packet and the kernel's drop of it may be apart. */
    static final Duration TOLERANCE = Duration.ofMillis(5);

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
        Map<Long, List<String>> comments = new LinkedHashMap<>();
        traffic.packets().forEach(packet -> {
            Optional<Flow> flow = packet.flow();
            if (flow.isEmpty()) {
                return;
            }
            for (Drop drop : drops) {
                if (drop.flow().get().equals(flow.get()) && near(packet, drop.times())) {
                    comments.computeIfAbsent(packet.frameNumber(), f -> new ArrayList<>())
                            .add("pcapunit: " + drop.description());
                }
            }
        });
        return comments.isEmpty() ? 0 : PcapConversion.addComments(pcapng, comments);
    }

    private static boolean near(DecodedPacket packet, List<Instant> times) {
        for (Instant t : times) {
            if (Duration.between(packet.time(), t).abs().compareTo(TOLERANCE) <= 0) {
                return true;
            }
        }
        return false;
    }
}
