package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.pcapng.JournalEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An eBPF drop record whose packet had no socket where it was dropped (a SYN on the receiver's
 * INPUT) names the process that connect()ed its flow when the journal's tracefs SYN_SENT
 * transitions show exactly one, and no process when they show several, none, only softirq or
 * timer context, or only connects after the drop. Journals are built as the recorders write them
 * ({@link KernelJournal#fields}) and read back with {@link KernelJournal#drops}.
 */
class KernelConnectTieTest {

    private static final Instant T0 = Instant.parse("2026-12-02T13:00:00.000001Z");
    private static final String CLIENT = "10.200.9.1";
    private static final String DB = "10.200.9.2";
    private static final int PORT = 1434;
    private static final int SPORT = 50122;
    private static final String TIED = ", hook INPUT in namespace pcapunit-1-db, ttl 64, 4 packets, sent by process java"
            + " (pid 4242), which connect()ed this flow (inferred: the kernel journal's only connect() to it)"
            + " [eBPF, observed]";

    /** A connect's SYN_SENT transition {@code micros} after T0, by {@code comm} ({@code pid}); its source port is 0. */
    private static KernelEvent connect(long micros, long pid, String comm, String saddr, int dport) {
        return new KernelEvent("inet_sock_set_state", T0.plusNanos(micros * 1000), 1, pid, comm, Map.of(
                "protocol", "TCP", "saddr", saddr, "sport", "0", "daddr", DB, "dport", Integer.toString(dport),
                "oldstate", "TCP_CLOSE", "newstate", "TCP_SYN_SENT"));
    }

    /** A later event of a socket that shows its source port (here its retransmission, from a timer). */
    private static KernelEvent retransmission(long micros, int sport, int dport) {
        return new KernelEvent("tcp_retransmit_skb", T0.plusNanos(micros * 1000), 0, 0, "<idle>", Map.of(
                "protocol", "TCP", "saddr", CLIENT, "sport", Integer.toString(sport), "daddr", DB,
                "dport", Integer.toString(dport), "newstate", "TCP_SYN_SENT"));
    }

    /** What bpftrace reads of a packet dropped on db's INPUT: no socket there, so no process. */
    private static KernelEvent ebpfDrop(long micros, int sport, String flags) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("source", "EBPF");
        f.put("reason", "NETFILTER_DROP");
        f.put("location", "nft_do_chain");
        f.put("protocol", "IPv4");
        f.put("ipproto", "TCP");
        f.put("saddr", CLIENT);
        f.put("daddr", DB);
        f.put("sport", Integer.toString(sport));
        f.put("dport", Integer.toString(PORT));
        f.put("flags", flags);
        f.put("ttl", "64");
        f.put("hook", "INPUT");
        f.put("netns", "pcapunit-1-db");
        f.put("netns_inode", "4026532999");
        return new KernelEvent("kfree_skb", T0.plusNanos(micros * 1000), 3, -1, "", f);
    }

    /** Four SYNs of one connect dropped on db's INPUT, the first 300 µs after T0, then every second. */
    private static List<KernelEvent> fourSynDrops() {
        List<KernelEvent> drops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            drops.add(ebpfDrop(300 + i * 1_000_000L, SPORT, "SYN"));
        }
        return drops;
    }

    private static KernelDrop ebpfRecord(List<KernelEvent> events) {
        List<JournalEntry> journal = new ArrayList<>();
        for (KernelEvent e : events) {
            journal.add(JournalEntry.of(e.time(), KernelJournal.fields(e, null)));
        }
        return KernelJournal.drops(journal).stream().filter(KernelDrop::observed).findFirst().orElseThrow();
    }

    private static List<KernelEvent> with(List<KernelEvent> drops, KernelEvent... tracefs) {
        List<KernelEvent> all = new ArrayList<>(List.of(tracefs));
        all.addAll(drops);
        return all;
    }

    @Test
    void theOnlyConnectBeforeTheDrop_namesItsProcess_sayingHowItIsTied() {
        KernelDrop d = ebpfRecord(with(fourSynDrops(), connect(0, 4242, "java", CLIENT, PORT),
                retransmission(1_000_290, SPORT, PORT)));

        assertThat(d.processName()).isEqualTo("java");
        assertThat(d.pid()).isEqualTo(4242);
        assertThat(d.connector()).isTrue();
        assertThat(d.line()).isEqualTo("Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain),"
                + " TCP 10.200.9.1:50122 \u2192 10.200.9.2:1434 SYN" + TIED);
        assertThat(d.line()).doesNotContain("the socket's owner");
    }

    @Test
    void theConnectsSourcePortUnknown_stillTiesASyn_andOneProcessConnectingTwiceIsOne() {
        KernelDrop d = ebpfRecord(with(fourSynDrops(), connect(0, 4242, "java", CLIENT, PORT),
                connect(100, 4242, "java", CLIENT, PORT)));

        assertThat(d.line()).endsWith(TIED);
    }

    @Test
    void twoProcessesConnectingThisFlow_nameNone() {
        KernelDrop d = ebpfRecord(with(fourSynDrops(), connect(0, 4242, "java", CLIENT, PORT),
                connect(100, 777, "curl", CLIENT, PORT)));

        assertThat(d.processName()).isEmpty();
        assertThat(d.pid()).isEqualTo(-1);
        assertThat(d.line()).endsWith(", hook INPUT in namespace pcapunit-1-db, ttl 64, 4 packets [eBPF, observed]");
    }

    @Test
    void aConnectInSoftirqOrTimerContext_isNoOwner_soNoneIsNamed() {
        // a SYN_SENT seen under ksoftirqd or <idle> names no owner: with it, who connected is not known
        assertThat(ebpfRecord(with(fourSynDrops(), connect(0, 15, "ksoftirqd/1", CLIENT, PORT))).processName())
                .isEmpty();
        assertThat(ebpfRecord(with(fourSynDrops(), connect(0, 0, "<idle>", CLIENT, PORT),
                connect(50, 4242, "java", CLIENT, PORT))).processName()).isEmpty();
    }

    @Test
    void aConnectAfterTheDrop_orToAnotherPlace_orNoConnect_namesNone() {
        assertThat(ebpfRecord(with(fourSynDrops(), connect(400, 4242, "java", CLIENT, PORT))).processName())
                .as("connect after the first drop").isEmpty();
        assertThat(ebpfRecord(with(fourSynDrops(), connect(0, 4242, "java", CLIENT, PORT + 1),
                connect(0, 4242, "java", "10.200.9.5", PORT))).processName()).as("other port, other source").isEmpty();
        assertThat(ebpfRecord(fourSynDrops()).processName()).as("no connect in the journal").isEmpty();
    }

    @Test
    void aConnectStampedAHairAfterTheDrop_withThePacketsOwnSourcePort_isItsConnect() {
        // eBPF's and tracefs's wall clocks drift apart: the port, not the order, says it is this socket
        KernelDrop d = ebpfRecord(with(fourSynDrops(), connect(450, 4242, "java", CLIENT, PORT),
                retransmission(1_000_290, SPORT, PORT)));
        assertThat(d.line()).endsWith(TIED);
        // beyond the slack it is a later socket that reused the port
        assertThat(ebpfRecord(with(fourSynDrops(), connect(1_000_400, 4242, "java", CLIENT, PORT),
                retransmission(2_000_290, SPORT, PORT))).processName()).isEmpty();
        // without its port known the order alone decides
        assertThat(ebpfRecord(with(fourSynDrops(), connect(450, 4242, "java", CLIENT, PORT))).processName())
                .isEmpty();
    }

    @Test
    void aConnectWithAnotherKnownSourcePort_isAnotherSocket() {
        // curl's connect got port 40000 (its retransmission says so); java's port is not known
        List<KernelEvent> events = with(fourSynDrops(), connect(0, 777, "curl", CLIENT, PORT),
                retransmission(80, 40000, PORT), connect(100, 4242, "java", CLIENT, PORT));
        assertThat(ebpfRecord(events).line()).endsWith(TIED);
        // both connects unbound when a port shows: whose it is cannot be told, so neither is excluded
        List<KernelEvent> crossed = with(fourSynDrops(), connect(0, 777, "curl", CLIENT, PORT),
                connect(10, 4242, "java", CLIENT, PORT), retransmission(80, SPORT, PORT),
                retransmission(90, 40000, PORT));
        assertThat(ebpfRecord(crossed).processName()).isEmpty();
    }

    @Test
    void aPacketOtherThanASyn_needsItsConnectsSourcePort() {
        List<KernelEvent> ack = List.of(ebpfDrop(300, SPORT, "ACK"));
        assertThat(ebpfRecord(with(ack, connect(0, 4242, "java", CLIENT, PORT))).processName())
                .as("port of the connect unknown: a connection opened before the journal could share the addresses")
                .isEmpty();
        assertThat(ebpfRecord(with(ack, connect(0, 4242, "java", CLIENT, PORT), retransmission(100, SPORT, PORT)))
                .line()).endsWith("ttl 64, sent by process java (pid 4242), which connect()ed this flow (inferred:"
                        + " the kernel journal's only connect() to it) [eBPF, observed]");
        // a non-SYN record whose own source port was not read is tied to no connect either
        assertThat(ebpfRecord(with(List.of(ebpfDrop(300, 0, "ACK")), connect(0, 4242, "java", CLIENT, PORT),
                retransmission(100, SPORT, PORT))).processName()).isEmpty();
    }

    @Test
    void aRecordThatReadTheSocketsOwner_keepsIt() {
        KernelEvent own = ebpfDrop(300, SPORT, "SYN");
        Map<String, String> f = new LinkedHashMap<>(own.fields());
        f.put("hook", "OUTPUT");
        own = new KernelEvent("kfree_skb", own.time(), 3, 999, "python3", f);

        KernelDrop d = ebpfRecord(List.of(connect(0, 4242, "java", CLIENT, PORT), own));

        assertThat(d.connector()).isFalse();
        assertThat(d.line()).endsWith(", process python3 (pid 999), the socket's owner [eBPF, observed]");
    }

    @Test
    void tracefsRecords_areAsBefore() {
        KernelEvent syn = connect(0, 4242, "java", CLIENT, PORT);
        KernelEvent drop = new KernelEvent("kfree_skb", T0.plusNanos(20_000), 1, 4242, "java",
                Map.of("reason", "NETFILTER_DROP", "location", "nft_do_chain", "protocol", "IPv4"));
        List<JournalEntry> journal = new ArrayList<>();
        for (KernelEvent e : List.of(syn, drop)) {
            journal.add(JournalEntry.of(e.time(), KernelJournal.fields(e, null)));
        }

        assertThat(KernelJournal.drops(journal)).singleElement().satisfies(d -> {
            assertThat(d.connector()).isFalse();
            assertThat(d.line()).endsWith("TCP 10.200.9.1:0 \u2192 10.200.9.2:1434 SYN, process java (pid 4242)");
        });
    }
}
