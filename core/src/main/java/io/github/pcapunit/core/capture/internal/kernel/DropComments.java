package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.capture.internal.JournalFields;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.packet.internal.Addresses;
import io.github.pcapunit.core.packet.internal.PacketDecoder;
import io.github.pcapunit.core.packet.internal.PacketFields;
import io.github.pcapunit.core.pcapng.FrameCommenter;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The comments the engine gives the captured packets that kernel or firewall drop records refer
 * to, computed from the journal entries being written and the packets as the conversion sees
 * them: for every drop instant, the packet of the same flow captured nearest to it (within
 * {@link #TOLERANCE}) gets {@code "pcapunit: " + the drop's line}, e.g. the SYNs seen on the wire
 * that db's INPUT chain then dropped. Wireshark shows it as the frame's comment.
 *
 * <pre>{@code
 * Optional<DropComments> comments = DropComments.of(entries);   // empty: no drop names a flow
 * // the conversion calls observe(...) for every packet, then comments(frame) while writing it:
 * // ["pcapunit: Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), TCP ... SYN, ..."]
 * }</pre>
 */
public final class DropComments implements FrameCommenter {

    /**
     * How far a captured packet and the kernel's drop of it may be apart. A veth peer may handle
     * the packet in a later softirq (or ksoftirqd) on a loaded machine, tens of milliseconds after
     * the capture's timestamp; retransmissions of one flow are at least 200 ms apart, so the
     * nearest packet within this window is the one dropped.
     */
    static final Duration TOLERANCE = Duration.ofMillis(100);

    /** One drop record tied to a flow: its instants and the comment it gives. */
    private record Target(Flow flow, List<Instant> times, String comment) {
    }

    private record Candidate(long frame, long epochNanos) {
    }

    private final List<Target> targets;
    private final Map<Flow, List<Candidate>> candidates = new HashMap<>();
    /** Port pairs (source << 16 | destination) of the targets: most packets are rejected on these alone. */
    private final Set<Integer> portPairs = new HashSet<>();
    private final PacketFields fields = new PacketFields();
    private Map<Long, List<String>> comments;

    private DropComments(List<Target> targets) {
        this.targets = targets;
        for (Target t : targets) {
            candidates.put(t.flow(), new ArrayList<>());
            portPairs.add(pair(t.flow().source().port(), t.flow().destination().port()));
        }
    }

    /**
     * The comments for a file holding journal {@code entries}, or empty when no entry is a kernel
     * or firewall drop tied to a flow (then there is nothing to comment).
     */
    public static Optional<DropComments> of(List<JournalFields> entries) {
        if (entries.stream().noneMatch(DropComments::isFlowDrop)) {
            return Optional.empty(); // the common case, decided without copying or correlating anything
        }
        // As the file will hold them (microsecond timestamps), so the analysis of the file agrees.
        List<JournalEntry> journal = new ArrayList<>(entries.size());
        for (JournalFields e : entries) {
            journal.add(JournalEntry.of(Instant.ofEpochSecond(0, e.timestampNanos()), e.fields()));
        }
        List<Target> targets = new ArrayList<>();
        for (KernelJournal.FirewallVerdict v : KernelJournal.firewallVerdicts(journal)) {
            v.flow().ifPresent(f -> targets.add(new Target(f, List.of(v.time()), "pcapunit: " + v.description())));
        }
        for (KernelDrop d : KernelJournal.drops(journal)) {
            if (!d.times().isEmpty()) {
                d.flow().ifPresent(f -> targets.add(new Target(f, d.times(), "pcapunit: " + d.line())));
            }
        }
        return targets.isEmpty() ? Optional.empty() : Optional.of(new DropComments(targets));
    }

    private static boolean isFlowDrop(JournalFields e) {
        String event = e.fields().get(JournalKey.PCAPUNIT_EVENT.fieldName());
        return (KernelJournal.KFREE_SKB.equals(event) || KernelJournal.NFTRACE.equals(event))
                && e.fields().containsKey(JournalKey.PCAPUNIT_SADDR.fieldName());
    }

    /** Sees one packet that will be written as frame {@code frameNumber}; {@code data} is not kept. */
    @Override
    public void observe(long frameNumber, long epochNanos, int linkType, byte[] data, int capturedLength) {
        if (comments != null) {
            throw new IllegalStateException("observe(" + frameNumber + ") after comments(): observe every packet first");
        }
        PacketDecoder.decode(data, 0, capturedLength, linkType, fields);
        if (fields.ipVersion == 0 || fields.srcPort < 0 || !portPairs.contains(pair(fields.srcPort, fields.dstPort))) {
            return;
        }
        int len = fields.addressLength();
        Flow flow = Flow.of(IpProtocol.ofNumber(fields.protocol), Endpoint.of(Addresses.of(fields.src, len),
                fields.srcPort), Endpoint.of(Addresses.of(fields.dst, len), fields.dstPort));
        List<Candidate> list = candidates.get(flow);
        if (list != null) {
            list.add(new Candidate(frameNumber, epochNanos));
        }
    }

    /** The comments of frame {@code frameNumber}, in order; empty for none. */
    @Override
    public List<String> comments(long frameNumber) {
        if (comments == null) {
            comments = assign();
        }
        return comments.getOrDefault(frameNumber, List.of());
    }

    /** Number of frames that get a comment. */
    public int commentedFrames() {
        if (comments == null) {
            comments = assign();
        }
        return comments.size();
    }

    private Map<Long, List<String>> assign() {
        Map<Long, List<String>> out = new HashMap<>();
        for (Target t : targets) {
            List<Candidate> list = candidates.get(t.flow());
            for (Instant time : t.times()) {
                Candidate c = nearest(list, time.getEpochSecond() * 1_000_000_000L + time.getNano());
                if (c != null) {
                    List<String> frame = out.computeIfAbsent(c.frame(), f -> new ArrayList<>());
                    if (!frame.contains(t.comment())) {
                        frame.add(t.comment());
                    }
                }
            }
        }
        return out;
    }

    private static Candidate nearest(List<Candidate> candidates, long nanos) {
        Candidate best = null;
        long bestDistance = TOLERANCE.toNanos();
        for (Candidate c : candidates) {
            long distance = Math.abs(c.epochNanos() - nanos);
            if (distance <= bestDistance) { // equal: the later packet, as the drop follows its packet
                best = c;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int pair(int source, int destination) {
        return (source & 0xffff) << 16 | (destination & 0xffff);
    }
}
