package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.pcapng.JournalEntry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an {@link EvidenceProvider} sees of a capture: the file, the journal entries stored in
 * it (kernel events, marks), the TCP/UDP flows found on the wire and the capture start.
 */
public final class AnalysisContext {

    private final Path file;
    private final List<JournalEntry> journal;
    private final AnalysisResult result;

    public AnalysisContext(Path file, List<JournalEntry> journal, AnalysisResult result) {
        this.file = file;
        this.journal = List.copyOf(journal);
        this.result = result;
    }

    /** The pcap/pcapng file. */
    public Path file() {
        return file;
    }

    /** Journal export entries of the file, in file order. */
    public List<JournalEntry> journal() {
        return journal;
    }

    /** Journal entries whose {@code PCAPUNIT_EVENT} is {@code event}. */
    public List<JournalEntry> journal(String event) {
        return journal.stream().filter(e -> e.isEvent(event)).toList();
    }

    /** TCP connections seen on the wire (client → server). */
    public List<TcpState> tcp() {
        return result.tcp;
    }

    /** UDP flows seen on the wire. */
    public List<UdpState> udp() {
        return result.udp;
    }

    /** Flows of the TCP connections, client → server. */
    public List<Flow> tcpFlows() {
        return result.tcp.stream().map(TcpState::flow).toList();
    }

    /** Time of the first packet, if any. */
    public Optional<Instant> firstPacket() {
        return result.firstNanos < 0 && result.packets == 0 ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(0, result.firstNanos));
    }

    /** The whole wire analysis. */
    public AnalysisResult wire() {
        return result;
    }
}
