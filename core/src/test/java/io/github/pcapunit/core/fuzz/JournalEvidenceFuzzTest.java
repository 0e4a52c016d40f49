package io.github.pcapunit.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Fuzz target for the evidence read back from a file's journal entries: well-formed pcapng
 * files whose Journal Export Blocks carry pcapunit's keys (kernel events, firewall verdicts,
 * evidence status, size cap) with fuzzed values, next to fuzzed IPv4 packets. The analysis
 * gives real drop records ({@link CapturedTrafficFuzzTest#assertRealDrop}) or refuses the
 * entry with a {@link io.github.pcapunit.core.CaptureException} naming it - never a bogus
 * record such as "reason , component kernel".
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=JournalEvidenceFuzzTest
 * </pre>
 */
class JournalEvidenceFuzzTest {

    private static final String[] EVENTS = {"kfree_skb", "nftrace", "inet_sock_set_state", "tcp_retransmit_skb",
        "tcp_send_reset", "tcp_receive_reset", "evidence_status", "size_cap", "mark", "kernel_trace_summary", ""};
    /**
     * Values pcapunit itself writes, so fuzzed entries reach the branches behind them (an eBPF drop
     * source with its hook, TTL and namespace; summaries; addresses of both families) as often as
     * random text reaches the refusals.
     */
    private static final String[] VALUES = {"EBPF", "TRACEFS", "OBSERVED", "INFERRED", "OUTPUT", "INPUT", "FORWARD",
        "kfree_skb", "NETFILTER_DROP", "nft_do_chain", "TCP", "UDP", "ICMP", "ICMPv6", "IPv4", "IPv6", "SYN",
        "type 8 code 0", "10.200.1.10", "10.200.1.20", "fd00::1", "::1", "0", "1", "3", "64", "65535", "65536", "-1",
        "4026532177", "client", "(JVM)", "net:[4026532177]", "2023-11-14T22:13:21Z", "TCP_SYN_SENT", " "};
    private static final JournalKey[] KEYS = JournalKey.values();

    @FuzzTest(maxDuration = "15s")
    void journalEntriesWithFuzzedValues_giveRealDropsOrAClearRefusal(FuzzedDataProvider data) {
        Path file = FuzzFiles.fresh("journal.pcapng");
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(),
                InterfaceDescription.builder().linkType(LinkType.RAW).build())) {
            int records = data.consumeInt(1, 12);
            for (int i = 0; i < records && data.remainingBytes() > 0; i++) {
                Instant time = Instant.ofEpochSecond(1_700_000_000L + data.consumeInt(0, 100), data.consumeInt(0, 999_999_999));
                if (data.consumeBoolean()) {
                    byte[] frame = data.consumeBytes(data.consumeInt(0, 120));
                    w.writePacket(0, time, frame.length, frame, 0, frame.length, null);
                    continue;
                }
                JournalEntry.Builder e = JournalEntry.builder(time)
                        .field(JournalKey.PCAPUNIT_EVENT, data.pickValue(EVENTS));
                int fields = data.consumeInt(0, 10);
                for (int f = 0; f < fields; f++) {
                    JournalKey key = data.pickValue(KEYS);
                    e.field(key, data.consumeBoolean() ? data.pickValue(VALUES) : data.consumeString(40));
                }
                w.writeJournal(e.build());
            }
        }
        try {
            CapturedTrafficFuzzTest.analyse(CapturedTraffic.read(file));
        } catch (RuntimeException e) {
            if (!FuzzFiles.documented(e)) {
                throw e;
            }
        }
    }
}
