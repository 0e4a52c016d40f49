package io.github.pcapunit.assertions.synthetic;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A pcapng file written with pcapunit's own {@link PcapngWriter}: hand-built frames on one
 * Ethernet interface "eth0", journal entries (kernel evidence as the engine records it), and
 * optionally the capture-loss counters of an Interface Statistics Block. Times are microseconds
 * after {@link #T0}, the first packet.
 *
 * <pre>{@code
 * CapturedTraffic t = TrafficFile.in(dir, "healthy").connection(0, CLIENT, 50122, SERVER, 1433).read();
 * }</pre>
 */
final class TrafficFile {

    /** When every synthetic capture starts. */
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    /** The JVM's side of the conversations. */
    static final String CLIENT = "10.200.1.10";
    /** The server's side ("db"). */
    static final String SERVER = "10.200.1.20";

    private final Path file;
    private final List<Consumer<PcapngWriter>> blocks = new ArrayList<>();
    private final SectionHeader.Builder section = SectionHeader.builder().userAppl("pcapunit synthetic test");

    private TrafficFile(Path file) {
        this.file = file;
    }

    /** A file {@code name}.pcapng in {@code dir}. */
    static TrafficFile in(Path dir, String name) {
        return new TrafficFile(dir.resolve(name + ".pcapng"));
    }

    static Instant at(long micros) {
        return T0.plusNanos(micros * 1000);
    }

    /** Any frame at {@code micros}. */
    TrafficFile frame(long micros, byte[] frame) {
        blocks.add(w -> w.writePacket(0, at(micros), frame.length, frame, 0, frame.length, PacketOptions.none()));
        return this;
    }

    /** A TCP segment with {@code payload} bytes. */
    TrafficFile tcp(long micros, String src, int sport, String dst, int dport, int flags, long seq, long ack,
                    int payload) {
        return frame(micros, Frames.ipv4Frame(Frames.TCP, src, dst, Frames.tcp(sport, dport, seq, ack, flags,
                payload)));
    }

    /** A TCP segment that arrived with {@code ttl} (IPv4 TTL, or IPv6 hop limit when the addresses are IPv6). */
    TrafficFile tcp(long micros, String src, int sport, String dst, int dport, int flags, long seq, long ack,
                    int payload, int ttl) {
        byte[] segment = Frames.tcp(sport, dport, seq, ack, flags, payload);
        return frame(micros, src.indexOf(':') >= 0 ? Frames.ipv6Frame(Frames.TCP, src, dst, segment, ttl)
                : Frames.ipv4Frame(Frames.TCP, src, dst, segment, ttl));
    }

    /** A UDP datagram of 16 bytes. */
    TrafficFile udp(long micros, String src, int sport, String dst, int dport) {
        return frame(micros, Frames.ipv4Frame(Frames.UDP, src, dst, Frames.udp(sport, dport, 16)));
    }

    /** An ICMP echo request ({@code reply} false) or reply. */
    TrafficFile echo(long micros, boolean reply, String src, String dst, int id, int seq) {
        return frame(micros, Frames.ipv4Frame(Frames.ICMP, src, dst, Frames.icmpEcho(reply ? 0 : 8, id, seq)));
    }

    /**
     * A healthy TCP connection of 8 packets over 600 µs: handshake, 5 bytes each way, FIN from
     * both sides.
     */
    TrafficFile connection(long micros, String client, int sport, String server, int dport) {
        long c = 1000;
        long s = 5000;
        return tcp(micros, client, sport, server, dport, Frames.SYN, c, 0, 0)
                .tcp(micros + 100, server, dport, client, sport, Frames.SYN | Frames.ACK, s, c + 1, 0)
                .tcp(micros + 150, client, sport, server, dport, Frames.ACK, c + 1, s + 1, 0)
                .tcp(micros + 200, client, sport, server, dport, Frames.PSH | Frames.ACK, c + 1, s + 1, 5)
                .tcp(micros + 300, server, dport, client, sport, Frames.PSH | Frames.ACK, s + 1, c + 6, 5)
                .tcp(micros + 400, client, sport, server, dport, Frames.FIN | Frames.ACK, c + 6, s + 6, 0)
                .tcp(micros + 500, server, dport, client, sport, Frames.FIN | Frames.ACK, s + 6, c + 7, 0)
                .tcp(micros + 600, client, sport, server, dport, Frames.ACK, c + 7, s + 7, 0);
    }

    /** A journal entry (e.g. from {@link KernelEvents}). */
    TrafficFile journal(JournalEntry entry) {
        blocks.add(w -> w.writeJournal(entry));
        return this;
    }

    /** An Interface Statistics Block at the end: the kernel buffer dropped {@code osDrop} packets. */
    TrafficFile captureLoss(long osDrop) {
        blocks.add(w -> w.writeStatistics(0, InterfaceStatistics.builder().start(T0).end(at(5_000_000))
                .ifRecv(100).ifDrop(0).osDrop(osDrop).build()));
        return this;
    }

    /** The file states that kernel drop evidence was recorded while capturing, as the engine writes it. */
    TrafficFile kernelEvidenceRecorded() {
        return evidence(EvidenceStatus.builder(KernelEvidence.AUTO)
                .source(SourceStatus.recorded(Source.KERNEL_TRACE)).build());
    }

    /**
     * The file states {@code status}, as the engine writes it: the status entry at the start of the
     * window, its sentence in the section comment for people.
     */
    TrafficFile evidence(EvidenceStatus status) {
        section.comment("captured by a synthetic test\nkernel evidence: " + status.describe());
        blocks.add(0, w -> w.writeJournal(status.toJournalEntry(T0)));
        return this;
    }

    /** Writes the file. */
    Path write() {
        InterfaceDescription eth0 = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0")
                .snaplen(262144).build();
        try (PcapngWriter w = PcapngWriter.open(file, section.build(), eth0)) {
            blocks.forEach(b -> b.accept(w));
        }
        return file;
    }

    /** Writes the file and reads it back as traffic, the way a user reads a kept capture. */
    CapturedTraffic read() {
        return CapturedTraffic.read(write());
    }
}
