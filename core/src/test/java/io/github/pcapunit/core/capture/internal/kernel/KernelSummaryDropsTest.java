package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drops the recorder counted past its limits ({@code kernel_trace_summary} entries) are evidence:
 * each kfree_skb summary is a drop record with its count, so a drop check over a flood sees all
 * of them, not only the few hundred kept one by one.
 */
class KernelSummaryDropsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T05:00:00.000001Z");
    private static final Pattern PACKETS = Pattern.compile(", (\\d+) packets");

    @TempDir
    Path dir;

    private static JournalEntry.Builder summary(String event, long count) {
        return JournalEntry.builder(T0).field(JournalKey.MESSAGE, "kernel trace: " + count + " more " + event)
                .field(JournalKey.PCAPUNIT_EVENT, KernelJournal.SUMMARY)
                .field(JournalKey.PCAPUNIT_SUMMARY_EVENT, event)
                .field(JournalKey.PCAPUNIT_SUMMARY_COUNT, Long.toString(count))
                .field(JournalKey.PCAPUNIT_SUMMARY_LAST, T0.plusSeconds(4).toString());
    }

    @Test
    void flowlessKfreeSkbSummary_isAFlowlessDropRecordWithItsCountFirstAndLastTime() {
        JournalEntry entry = summary("kfree_skb", 190_385).field(JournalKey.PCAPUNIT_REASON, "NO_SOCKET")
                .field(JournalKey.PCAPUNIT_LOCATION, "__udp4_lib_rcv").field(JournalKey.PCAPUNIT_PROTOCOL, "IPv4").build();

        assertThat(KernelJournal.drops(List.of(entry))).singleElement().satisfies(d -> {
            assertThat(d.hasFlow()).isFalse();
            assertThat(d.count()).isEqualTo(190_385);
            assertThat(d.times()).containsExactly(T0, T0.plusSeconds(4));
            assertThat(d.reason()).isEqualTo("NO_SOCKET");
            assertThat(d.line()).isEqualTo("Drop: reason NO_SOCKET, component UDP (no socket, __udp4_lib_rcv),"
                    + " IPv4 packet, 190385 packets");
        });
    }

    @Test
    void kfreeSkbSummaryNamingAFlow_isADropRecordOfThatFlow() {
        JournalEntry entry = summary("kfree_skb", 7).field(JournalKey.PCAPUNIT_REASON, "NETFILTER_DROP")
                .field(JournalKey.PCAPUNIT_LOCATION, "nft_do_chain").field(JournalKey.PCAPUNIT_SADDR, "10.200.1.10")
                .field(JournalKey.PCAPUNIT_SPORT, "39322").field(JournalKey.PCAPUNIT_DADDR, "10.200.1.20")
                .field(JournalKey.PCAPUNIT_DPORT, "1433").build();

        assertThat(KernelJournal.drops(List.of(entry))).singleElement().satisfies(d -> {
            assertThat(d.flow()).hasValueSatisfying(f -> assertThat(f.destination().port()).isEqualTo(1433));
            assertThat(d.count()).isEqualTo(7);
            assertThat(d.line()).contains("TCP 10.200.1.10:39322 \u2192 10.200.1.20:1433, 7 packets");
        });
    }

    @Test
    void summariesOfOtherEventsAndOfUnreadEvents_areNoDropRecords() {
        List<JournalEntry> entries = List.of(
                summary("inet_sock_set_state", 40).field(JournalKey.PCAPUNIT_NEWSTATE, "TCP_CLOSE").build(),
                summary("*", 6_028).build());

        assertThat(KernelJournal.drops(entries)).isEmpty();
    }

    @Test
    void summaryWithABadCountOrLastTime_isRefusedNamingTheField() {
        assertThatThrownBy(() -> KernelJournal.drops(List.of(summary("kfree_skb", 0).build())))
                .isInstanceOf(CaptureException.class).hasMessageContaining("PCAPUNIT_SUMMARY_COUNT=0");
        assertThatThrownBy(() -> KernelJournal.drops(List.of(summary("kfree_skb", 3)
                .field(JournalKey.PCAPUNIT_SUMMARY_LAST, "yesterday").build())))
                .isInstanceOf(CaptureException.class).hasMessageContaining("PCAPUNIT_SUMMARY_LAST=\"yesterday\"");
    }

    /**
     * A 2 s UDP flood to a closed port on loopback, traced by tracefs (eBPF off: this is about the
     * tracefs recorder's summaries, and eBPF would take over the records inside its time span).
     * tracefs {@code kfree_skb} events carry no addresses, so another process flooding a closed port
     * at the same time is traced as the same kind; what holds either way is checked exactly:
     * <ul>
     * <li>the file's drop records of the kind count exactly what the trace recorded of it: every
     * event kept or counted by the recorder (its status), minus events of other kinds and events it
     * never read - a record counted twice, or a summary left out, fails;</li>
     * <li>every datagram this test sent is in those records, or among the events the trace says it
     * could not read: drops are never summarized away.</li>
     * </ul>
     * (It used to bound the records by the datagrams sent, which a bystander's flood of the same
     * kind broke: 93,475 counted vs 93,472 sent while a CI run flooded loopback.)
     */
    @Test
    void udpFloodToAClosedPort_dropRecordsOfTheFileCountEveryTracedDrop() throws Exception {
        Assumptions.assumeTrue(KernelRecorder.unavailableReason().isEmpty(), "kernel trace not available here");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").filter("udp dst port " + port)
                .kernelEvidence(KernelEvidence.REQUIRED).output(dir.resolve("flood.pcapng")).build();
        long sent = 0;
        CaptureResult result;
        String bpftrace = System.getProperty(BpfRecorder.PROPERTY);
        System.setProperty(BpfRecorder.PROPERTY, "");
        try (Capture capture = Capture.start(spec); DatagramSocket out = new DatagramSocket()) {
            DatagramPacket p = new DatagramPacket(new byte[100], 100,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            long end = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < end) {
                out.send(p);
                sent++;
            }
            result = capture.stop();
        } finally {
            if (bpftrace == null) {
                System.clearProperty(BpfRecorder.PROPERTY);
            } else {
                System.setProperty(BpfRecorder.PROPERTY, bpftrace);
            }
        }
        assertThat(result.evidenceStatus().source(EvidenceStatus.Source.EBPF_DROPS).state())
                .isEqualTo(EvidenceStatus.State.UNAVAILABLE);
        EvidenceStatus.SourceStatus kernel = result.evidenceStatus().source(EvidenceStatus.Source.KERNEL_TRACE);
        Assumptions.assumeTrue(kernel.notKept().orElse(0) > 0, "the flood did not exceed the kept events");

        List<Drop> noSocket = CapturedTraffic.read(result.file()).drops().stream()
                .filter(d -> d.reason().orElse("").equals("NO_SOCKET") && d.location().orElse("").startsWith("__udp"))
                .toList();
        long counted = noSocket.stream().mapToLong(KernelSummaryDropsTest::packets).sum();
        long unread = unreadOrOverwritten(result);

        // the flood is one kind: at most MAX_PER_KIND of it kept one by one, the rest counted
        assertThat(journal(result).stream().filter(e -> e.isEvent(KernelJournal.KFREE_SKB)
                && e.getOrDefault(JournalKey.PCAPUNIT_REASON, "").equals("NO_SOCKET")
                && e.getOrDefault(JournalKey.PCAPUNIT_LOCATION, "").equals("__udp4_lib_rcv")))
                .hasSizeBetween(1, KernelRecorder.MAX_PER_KIND);
        assertThat(counted).as("drop records of the flood's kind vs the trace's own count (status %s)", kernel)
                .isEqualTo(kernel.events().orElseThrow() + kernel.notKept().orElseThrow() - unread - otherKinds(result)
                        - outsideFilter(kernel));
        assertThat(counted + unread).as("records plus unread events vs %d datagrams sent", sent)
                .isGreaterThanOrEqualTo(sent).isGreaterThan(2_000);
    }

    /** A drop record's packets: the count its line states, else one per time. */
    private static long packets(Drop d) {
        Matcher m = PACKETS.matcher(d.description());
        return m.find() ? Long.parseLong(m.group(1)) : Math.max(1, d.times().size());
    }

    /** Events the recorder never read ({@code PCAPUNIT_SUMMARY_EVENT=*}), from the file. */
    private static long unreadOrOverwritten(CaptureResult result) {
        return journal(result).stream().filter(e -> e.getOrDefault(JournalKey.PCAPUNIT_SUMMARY_EVENT, "").equals("*"))
                .mapToLong(e -> Long.parseLong(e.get(JournalKey.PCAPUNIT_SUMMARY_COUNT).orElseThrow())).sum();
    }

    /**
     * Events with addresses outside the capture filter (other connections on the machine), which
     * the status counts and the file does not list.
     */
    private static long outsideFilter(EvidenceStatus.SourceStatus kernel) {
        Matcher m = Pattern.compile("(\\d+) events? with addresses outside the filter not listed")
                .matcher(kernel.scope().orElse(""));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Kept or summarized kernel events that are not this flood's drops (other processes on the machine). */
    private static long otherKinds(CaptureResult result) {
        long other = 0;
        for (JournalEntry e : journal(result)) {
            boolean kfree = e.isEvent(KernelJournal.KFREE_SKB)
                    || e.getOrDefault(JournalKey.PCAPUNIT_SUMMARY_EVENT, "").equals(KernelJournal.KFREE_SKB);
            boolean flood = kfree && e.getOrDefault(JournalKey.PCAPUNIT_REASON, "").equals("NO_SOCKET")
                    && e.getOrDefault(JournalKey.PCAPUNIT_LOCATION, "").startsWith("__udp");
            boolean kernelEvent = e.isEvent(KernelJournal.SUMMARY) ? !e.getOrDefault(JournalKey.PCAPUNIT_SUMMARY_EVENT,
                    "*").equals("*") : KernelJournal.event(e).isPresent();
            if (kernelEvent && !flood) {
                other += e.isEvent(KernelJournal.SUMMARY)
                        ? Long.parseLong(e.get(JournalKey.PCAPUNIT_SUMMARY_COUNT).orElseThrow()) : 1;
            }
        }
        return other;
    }

    private static List<JournalEntry> journal(CaptureResult result) {
        return CapturedTraffic.read(result.file()).journal();
    }
}
