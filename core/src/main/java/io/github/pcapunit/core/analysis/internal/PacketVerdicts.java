package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.packet.internal.Addresses;
import io.github.pcapunit.core.packet.internal.DecodedPackets;
import io.github.pcapunit.core.packet.internal.PacketFields;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Drop records from the verdicts other tools store on the packets of a pcapng file, so a file
 * keeps its evidence whoever wrote it: an {@code epb_verdict} option (code 7) whose first byte
 * says whose verdict it is — 1 Linux eBPF TC, 2 Linux eBPF XDP, each followed by the 64-bit value
 * the program returned — and whose value drops the packet: {@code TC_ACT_SHOT} (2),
 * {@code XDP_DROP} (1) or {@code XDP_ABORTED} (0, a program error, dropped too). Microsoft's
 * etl2pcapng writes every packet pktmon reports dropped this way (type 2, value 1, with the
 * pktmon component as the packet's interface and no other drop detail). Other values pass or
 * redirect the packet and are no drop; a hardware verdict (type 0) holds vendor-specific bytes
 * that say nothing readable, so it is never read as one. Such a record is {@code OBSERVED}: the
 * verdict is stored with the dropped packet itself.
 *
 * <pre>{@code
 * PacketVerdicts verdicts = new PacketVerdicts();
 * while (reader.nextPacket()) {
 *     // decode into fields ...
 *     verdicts.accept(reader, fields);   // reads the options only of packets that carry a verdict
 * }
 * List<Drop> drops = verdicts.drops();
 * }</pre>
 */
public final class PacketVerdicts {

    /** pcapng option code of {@code epb_verdict}. */
    static final int EPB_VERDICT = 7;
    /** What {@link Drop#recordedBy()} says for these records. */
    public static final String RECORDED_BY = "pcapng epb_verdict";

    private final List<Drop> drops = new ArrayList<>();

    /** Adds a record for each dropping verdict of the reader's current packet, decoded in {@code f}. */
    public void accept(PcapReader r, PacketFields f) {
        if (!r.hasOption(EPB_VERDICT)) {
            return;
        }
        ByteOrder order = r.sectionHeader().byteOrder();
        for (byte[] v : r.options().verdicts()) {
            String reason = dropReason(v, order);
            if (reason != null) {
                drops.add(drop(f, v[0], reason));
            }
        }
    }

    /** The records, in file order. */
    public List<Drop> drops() {
        return List.copyOf(drops);
    }

    /**
     * The name of the dropping verdict {@code v} (type byte, then data in the section's byte
     * order), or null when it does not drop the packet or cannot be read.
     */
    static String dropReason(byte[] v, ByteOrder order) {
        if (v.length != 9) {
            return null; // hardware verdicts are vendor bytes; the eBPF types hold exactly one 64-bit value
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            int b = v[order == ByteOrder.LITTLE_ENDIAN ? 8 - i : 1 + i] & 0xff;
            value = (value << 8) | b;
        }
        if (v[0] == PacketOptions.VERDICT_LINUX_EBPF_TC) {
            return value == 2 ? "TC_ACT_SHOT" : null;
        }
        if (v[0] == PacketOptions.VERDICT_LINUX_EBPF_XDP) {
            return value == 1 ? "XDP_DROP" : value == 0 ? "XDP_ABORTED" : null;
        }
        return null;
    }

    private static Drop drop(PacketFields f, int type, String reason) {
        String program = type == PacketOptions.VERDICT_LINUX_EBPF_TC ? "eBPF TC" : "eBPF XDP";
        String where = f.interfaceName != null ? f.interfaceName : "interface " + f.interfaceId;
        Drop.Builder b = Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.PACKET_VERDICT)
                .reason(reason).component(program + " verdict").location(where)
                .recorded(RECORDED_BY, Confidence.OBSERVED)
                .frame(f.frameNumber).time(Instant.ofEpochSecond(0, f.epochNanos))
                .description("frame " + f.frameNumber + " on " + where + " was dropped: its epb_verdict is "
                        + program + " " + reason + " (" + DecodedPackets.wrap(f).summary() + ")");
        Flow flow = flowOf(f);
        if (flow != null) {
            b.flow(flow);
        }
        if (f.ttl > 0) {
            b.ttl(f.ttl);
        }
        return b.build();
    }

    /** The packet's flow as sent (ports -1 for ICMP), or null when it is no IP packet. */
    private static Flow flowOf(PacketFields f) {
        if (f.ipVersion == 0) {
            return null;
        }
        IpProtocol p = IpProtocol.ofNumber(f.protocol);
        int len = f.addressLength();
        boolean ports = f.srcPort >= 0 && (p == IpProtocol.TCP || p == IpProtocol.UDP);
        return Flow.of(p, Endpoint.of(Addresses.of(f.src, len), ports ? f.srcPort : -1),
                Endpoint.of(Addresses.of(f.dst, len), ports ? f.dstPort : -1));
    }
}
