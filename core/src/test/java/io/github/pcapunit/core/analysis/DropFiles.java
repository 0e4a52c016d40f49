package io.github.pcapunit.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.DecodeBytes;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Capture files of dropped SYNs as the engine writes them, made without a capture, for verdict
 * tests: a client's SYNs on the first of the file's interfaces, then kernel drop records as
 * journal entries with the keys the recorders write (eBPF: {@code KernelJournal.ebpfFields};
 * tracefs summaries: {@code KernelJournal.fields(KernelSummary)}).
 *
 * <pre>{@code
 * JournalEntry drop = DropFiles.ebpf(100, CLIENT, 50100, SERVER, 1102).in("router", "FORWARD").entry();
 * CapturedTraffic traffic = DropFiles.synFile(dir.resolve("forward.pcapng"), List.of(idb), CLIENT, SERVER, 1102,
 *         new long[] {0, 1_000_000}, i -> PacketOptions.builder().direction(Direction.OUTBOUND).build(),
 *         List.of(drop));
 * Verdict v = DropFiles.onlyVerdict(traffic, 1102);
 * }</pre>
 */
final class DropFiles {

    /** Time 0 of the files, in nanoseconds since the epoch. */
    static final long T0 = 1_764_669_600_000_000_000L;
    /** The client's source port in every SYN. */
    static final int CLIENT_PORT = 50100;
    private static final int SYN = 0x02;

    private DropFiles() {
    }

    /** {@code micros} after {@link #T0}. */
    static Instant at(long micros) {
        return Instant.ofEpochSecond(0, T0 + micros * 1000);
    }

    /**
     * An eBPF drop record of {@code saddr:sport → daddr:dport} at {@code micros}: a TCP SYN over
     * IPv4 with TTL 64 that netfilter dropped ({@code NETFILTER_DROP} at {@code nft_do_chain}),
     * observed, in no namespace until {@link EbpfDrop#in} names one.
     */
    static EbpfDrop ebpf(long micros, String saddr, int sport, String daddr, int dport) {
        return new EbpfDrop(micros, saddr, sport, daddr, dport);
    }

    /**
     * A tracefs summary of {@code count} netfilter drops of the client's SYNs to
     * {@code daddr:dport}, the last a second after {@code micros}: a flow, but no namespace or hook.
     */
    static JournalEntry tracefsSummary(long micros, String saddr, String daddr, int dport, long count) {
        return JournalEntry.builder(at(micros))
                .field(JournalKey.MESSAGE, "kernel trace: " + count + " more kfree_skb events counted")
                .field(JournalKey.PCAPUNIT_EVENT, "kernel_trace_summary")
                .field(JournalKey.PCAPUNIT_SUMMARY_EVENT, "kfree_skb")
                .field(JournalKey.PCAPUNIT_SUMMARY_COUNT, Long.toString(count))
                .field(JournalKey.PCAPUNIT_SUMMARY_LAST, at(micros + 1_000_000).toString())
                .field(JournalKey.PCAPUNIT_REASON, "NETFILTER_DROP").field(JournalKey.PCAPUNIT_LOCATION, "nft_do_chain")
                .field(JournalKey.PCAPUNIT_SADDR, saddr).field(JournalKey.PCAPUNIT_SPORT, Integer.toString(CLIENT_PORT))
                .field(JournalKey.PCAPUNIT_DADDR, daddr).field(JournalKey.PCAPUNIT_DPORT, Integer.toString(dport))
                .build();
    }

    /**
     * Writes {@code file} with {@code interfaces} (Ethernet), the SYN {@code client:50100 →
     * server:port} once per entry of {@code synMicros} on the first interface, the i-th with
     * {@code options.apply(i)}, then {@code journal}; and reads it back.
     */
    static CapturedTraffic synFile(Path file, List<InterfaceDescription> interfaces, String client, String server,
            int port, long[] synMicros, IntFunction<PacketOptions> options, List<JournalEntry> journal) {
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                interfaces.toArray(InterfaceDescription[]::new))) {
            byte[] frame = DecodeBytes.ethernet(0x0800, DecodeBytes.ipv4(6, client, server,
                    DecodeBytes.tcp(CLIENT_PORT, port, 7000, 0, SYN, 64240, 0)));
            for (int i = 0; i < synMicros.length; i++) {
                w.writePacket(0, T0 + synMicros[i] * 1000, frame.length, frame, 0, frame.length, options.apply(i));
            }
            journal.forEach(w::writeJournal);
        }
        return CapturedTraffic.read(file);
    }

    /** The one verdict of {@code traffic} on the flows to {@code port} (fails the test if there are more or none). */
    static Verdict onlyVerdict(CapturedTraffic traffic, int port) {
        List<Verdict> v = traffic.verdictsTo(port);
        assertThat(v).as("verdicts to %d: %s", port, v).hasSize(1);
        return v.get(0);
    }

    /** An eBPF drop record being described; {@link #entry()} gives its journal entry. */
    static final class EbpfDrop {

        private final long micros;
        private final String saddr;
        private final int sport;
        private final String daddr;
        private final int dport;
        private String reason = "NETFILTER_DROP";
        private String location = "nft_do_chain";
        private String component = "netfilter (nftables)";
        private String flags = "SYN";
        private int ttl = 64;
        private String netns;
        private String hook;

        private EbpfDrop(long micros, String saddr, int sport, String daddr, int dport) {
            this.micros = micros;
            this.saddr = saddr;
            this.sport = sport;
            this.daddr = daddr;
            this.dport = dport;
        }

        /** Dropped for {@code reason} at kernel function {@code location} by {@code component}. */
        EbpfDrop reason(String reason, String location, String component) {
            this.reason = reason;
            this.location = location;
            this.component = component;
            return this;
        }

        /** The TCP flags of the dropped packet, e.g. {@code SYN|ACK}. */
        EbpfDrop flags(String flags) {
            this.flags = flags;
            return this;
        }

        /** The dropped packet's TTL. */
        EbpfDrop ttl(int ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Dropped in namespace {@code netns} at netfilter hook {@code hook} ({@code null}: none recorded). */
        EbpfDrop in(String netns, String hook) {
            this.netns = netns;
            this.hook = hook;
            return this;
        }

        /** The journal entry, its fields in the order the eBPF recorder writes them. */
        JournalEntry entry() {
            JournalEntry.Builder b = JournalEntry.builder(at(micros))
                    .field(JournalKey.MESSAGE, "Drop: reason " + reason + " ... [eBPF, observed]")
                    .field(JournalKey.PCAPUNIT_EVENT, "kfree_skb")
                    .field(JournalKey.PCAPUNIT_REASON, reason).field(JournalKey.PCAPUNIT_LOCATION, location)
                    .field(JournalKey.PCAPUNIT_PROTOCOL, "IPv4").field(JournalKey.PCAPUNIT_FLOW_PROTOCOL, "TCP")
                    .field(JournalKey.PCAPUNIT_SADDR, saddr).field(JournalKey.PCAPUNIT_SPORT, Integer.toString(sport))
                    .field(JournalKey.PCAPUNIT_DADDR, daddr).field(JournalKey.PCAPUNIT_DPORT, Integer.toString(dport))
                    .field(JournalKey.PCAPUNIT_FLAGS, flags).field(JournalKey.PCAPUNIT_TTL, Integer.toString(ttl));
            if (netns != null) {
                b.field(JournalKey.PCAPUNIT_NETNS, netns);
            }
            b.field(JournalKey.PCAPUNIT_COMPONENT, component)
                    .field(JournalKey.PCAPUNIT_DROP_SOURCE, "EBPF").field(JournalKey.PCAPUNIT_CONFIDENCE, "OBSERVED");
            if (hook != null) {
                b.field(JournalKey.PCAPUNIT_HOOK, hook);
            }
            return b.build();
        }
    }
}
