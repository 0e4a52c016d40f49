package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The listing's journal lines name the process that connect()ed a dropped flow exactly when the
 * verdict's Drop line does ({@link KernelJournal#withConnectors} uses the record
 * {@link KernelJournal#drops} gives, tied by {@link KernelDrops#tieToConnects}): the capture
 * writes an eBPF drop's entry before the journal is whole, naming no process where the packet had
 * no socket (a SYN on the receiver's INPUT). Journals are built as the recorders write them
 * ({@link KernelJournal#fields}).
 */
class JournalConnectorLinesTest {

    private static final Instant T0 = Instant.parse("2026-12-02T13:00:00.000001Z");
    private static final String CLIENT = "10.200.9.1";
    private static final String DB = "10.200.9.2";
    private static final int PORT = 1434;
    private static final String SENT_BY = ", sent by process java (pid 4242), which connect()ed this flow (inferred:"
            + " the kernel journal's only connect() to it) [eBPF, observed]";

    private static KernelEvent connect(long micros, long pid, String comm) {
        return new KernelEvent("inet_sock_set_state", T0.plusNanos(micros * 1000), 1, pid, comm, Map.of(
                "protocol", "TCP", "saddr", CLIENT, "sport", "0", "daddr", DB, "dport", Integer.toString(PORT),
                "oldstate", "TCP_CLOSE", "newstate", "TCP_SYN_SENT"));
    }

    private static KernelEvent ebpfDrop(long micros) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("source", "EBPF");
        f.put("reason", "NETFILTER_DROP");
        f.put("location", "nft_do_chain");
        f.put("protocol", "IPv4");
        f.put("ipproto", "TCP");
        f.put("saddr", CLIENT);
        f.put("daddr", DB);
        f.put("sport", "50122");
        f.put("dport", Integer.toString(PORT));
        f.put("flags", "SYN");
        f.put("ttl", "64");
        f.put("hook", "INPUT");
        f.put("netns", "pcapunit-1-db");
        f.put("netns_inode", "4026532999");
        return new KernelEvent("kfree_skb", T0.plusNanos(micros * 1000), 3, -1, "", f);
    }

    private static List<JournalEntry> journal(KernelEvent... events) {
        List<JournalEntry> journal = new ArrayList<>();
        for (KernelEvent e : events) {
            journal.add(JournalEntry.of(e.time(), KernelJournal.fields(e, null)));
        }
        return journal;
    }

    private static String message(JournalEntry e) {
        return e.getOrDefault(JournalKey.MESSAGE, "");
    }

    @Test
    void eachDropEntryOfATiedRecord_namesTheConnectorAsTheVerdictsDropLineDoes() {
        List<JournalEntry> journal = journal(connect(0, 4242, "java"), ebpfDrop(300), ebpfDrop(1_000_300));
        // as written during the capture: no process
        assertThat(message(journal.get(1))).doesNotContain("process");

        List<JournalEntry> shown = KernelJournal.withConnectors(journal);

        KernelDrop record = KernelJournal.drops(journal).stream().filter(KernelDrop::observed).findFirst().orElseThrow();
        assertThat(record.line()).endsWith(", 2 packets" + SENT_BY);
        for (int i : new int[] {1, 2}) {
            assertThat(message(shown.get(i))).isEqualTo(record.single(journal.get(i).timestamp()).line())
                    .endsWith(", hook INPUT in namespace pcapunit-1-db, ttl 64" + SENT_BY);
            Map<String, String> others = new LinkedHashMap<>(shown.get(i).fields());
            others.remove(JournalKey.MESSAGE.fieldName());
            Map<String, String> written = new LinkedHashMap<>(journal.get(i).fields());
            written.remove(JournalKey.MESSAGE.fieldName());
            assertThat(others).as("every other field as written").isEqualTo(written);
            assertThat(shown.get(i).timestamp()).isEqualTo(journal.get(i).timestamp());
        }
        assertThat(shown.get(0)).isSameAs(journal.get(0));
        assertThat(journal.get(1).fields()).doesNotContainKey(JournalKey.PID.fieldName());
    }

    @Test
    void aRecordTiedToNobody_leavesTheEntriesAsWritten() {
        // two processes connected this flow: the verdict names none, nor does the listing
        List<JournalEntry> journal = journal(connect(0, 4242, "java"), connect(100, 777, "curl"), ebpfDrop(300));

        assertThat(KernelJournal.withConnectors(journal)).isSameAs(journal);
    }

    @Test
    void aDropBeforeTheConnect_groupedWithOneAfterIt_isTiedAsItsRecordIs_toNobody() {
        // the record holds both drops and is tied by its first, which came before any connect: the
        // later entry alone would be tied, but the verdict's line names nobody, so neither does it
        List<JournalEntry> journal = journal(ebpfDrop(300), connect(500_000, 4242, "java"), ebpfDrop(1_000_300));

        assertThat(KernelJournal.drops(journal)).filteredOn(KernelDrop::observed).singleElement()
                .satisfies(d -> assertThat(d.processName()).isEmpty());
        assertThat(KernelJournal.withConnectors(journal)).isSameAs(journal);
    }

    @Test
    void anEbpfSummaryOfATiedFlow_namesTheConnectorInsideItsCount() {
        KernelEvent example = ebpfDrop(300);
        Map<String, String> fields = KernelJournal.fields(new KernelSummary(example, 12, example.time(),
                T0.plusMillis(900)));
        List<JournalEntry> journal = new ArrayList<>(journal(connect(0, 4242, "java")));
        journal.add(JournalEntry.of(example.time(), fields));

        List<JournalEntry> shown = KernelJournal.withConnectors(journal);

        assertThat(message(journal.get(1))).startsWith("eBPF: 12 more kfree_skb drops (").doesNotContain("process");
        assertThat(message(shown.get(1))).startsWith("eBPF: 12 more kfree_skb drops (Drop: reason NETFILTER_DROP,")
                .contains(", ttl 64" + SENT_BY + ") counted, not kept one by one, from " + example.time() + " to "
                        + T0.plusMillis(900));
        assertThat(KernelJournal.drops(journal)).filteredOn(KernelDrop::observed).singleElement()
                .satisfies(d -> assertThat(d.connector()).isTrue());
    }

    @Test
    void aMalformedKernelEntry_leavesEveryEntryAsWritten() {
        List<JournalEntry> journal = new ArrayList<>(journal(connect(0, 4242, "java"), ebpfDrop(300)));
        journal.add(JournalEntry.builder(T0.plusSeconds(1)).field(JournalKey.PCAPUNIT_EVENT, "kfree_skb")
                .field(JournalKey.PCAPUNIT_CPU, "not a number").build());

        assertThat(KernelJournal.withConnectors(journal)).isSameAs(journal);
    }
}
