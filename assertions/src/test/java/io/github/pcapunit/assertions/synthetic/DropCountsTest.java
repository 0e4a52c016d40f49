package io.github.pcapunit.assertions.synthetic;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.CLIENT;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.SERVER;
import static io.github.pcapunit.assertions.synthetic.TrafficFile.at;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counts equal the packets dropped: a drop record may stand for many packets (the kernel
 * recorder folds a flood into one {@code kernel_trace_summary} journal entry with its count, first
 * and last time); every count — {@link Drop#count()}, the verdict's sentence, the diagnosis, the
 * failure message — adds those up instead of counting records or their instants.
 */
class DropCountsTest {

    @TempDir
    Path dir;

    /** A kfree_skb summary of {@code count} drops of the client's SYNs to {@code port}, over 4 s, as the recorder writes it. */
    private static JournalEntry summary(long micros, int port, long count) {
        return summary(micros, 50400, port, count);
    }

    private static JournalEntry summary(long micros, int sport, int port, long count) {
        return JournalEntry.builder(at(micros))
                .field(JournalKey.MESSAGE, "kernel trace: " + count + " more kfree_skb events (reason NETFILTER_DROP)"
                        + " counted, not kept one by one")
                .field(JournalKey.PCAPUNIT_EVENT, "kernel_trace_summary")
                .field(JournalKey.PCAPUNIT_SUMMARY_EVENT, "kfree_skb")
                .field(JournalKey.PCAPUNIT_SUMMARY_COUNT, Long.toString(count))
                .field(JournalKey.PCAPUNIT_SUMMARY_LAST, at(micros + 4_000_000).toString())
                .field(JournalKey.PCAPUNIT_REASON, "NETFILTER_DROP").field(JournalKey.PCAPUNIT_LOCATION, "nft_do_chain")
                .field(JournalKey.PCAPUNIT_SADDR, CLIENT).field(JournalKey.PCAPUNIT_SPORT, Integer.toString(sport))
                .field(JournalKey.PCAPUNIT_DADDR, SERVER).field(JournalKey.PCAPUNIT_DPORT, Integer.toString(port))
                .build();
    }

    @Test
    void aSummaryOf7Drops_counts7_notItsTwoInstants() {
        // GIVEN nothing to 1439 reached the wire, and the kernel folded 7 dropped SYNs into one summary
        CapturedTraffic traffic = Scenarios.healthy(dir, "summary-7").kernelEvidenceRecorded()
                .journal(summary(1_000_000, 1439, 7)).read();

        List<Drop> kernel = traffic.dropsTo(1439).stream().filter(d -> d.source() == EvidenceSource.KERNEL).toList();
        Assertions.assertThat(kernel).singleElement().satisfies(d -> {
            Assertions.assertThat(d.count()).isEqualTo(7);
            Assertions.assertThat(d.times()).hasSize(2);
        });

        Verdict v = traffic.verdictsTo(1439).get(0);
        Assertions.assertThat(v.fate()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
        Assertions.assertThat(v.sentence()).contains("the kernel dropped 7 packets of it");
        Assertions.assertThat(traffic.diagnosis(SERVER, 1439).sentence()).contains("the kernel dropped 7 packets of it");

        Assertions.assertThatThrownBy(() -> assertThat(traffic).connections().to(1439).allEstablished())
                .isExactlyInstanceOf(AssertionError.class)
                .hasMessageContaining("but no TCP connection to port 1439 was seen, only 7 drops:");
    }

    @Test
    void recordsOfOneFlow_addUp() {
        // GIVEN a summary of 5 and one of 190,385 for the same flow
        CapturedTraffic traffic = Scenarios.healthy(dir, "summaries").kernelEvidenceRecorded()
                .journal(summary(1_000_000, 1440, 5)).journal(summary(6_000_000, 1440, 190_385)).read();

        Assertions.assertThat(traffic.dropsTo(1440).stream().mapToLong(Drop::count).sum()).isEqualTo(190_390);
        Assertions.assertThat(traffic.verdictsTo(1440)).singleElement()
                .satisfies(v -> Assertions.assertThat(v.sentence()).contains("the kernel dropped 190390 packets of it"));
        Assertions.assertThatThrownBy(() -> assertThat(traffic).connections().to(1440).allEstablished())
                .isExactlyInstanceOf(AssertionError.class)
                .hasMessageContaining("but no TCP connection to port 1440 was seen, only 190390 drops:");
    }

    @Test
    void kernelRecordsOfAFlowSeenOnTheWire_sayHowManyPacketsTheyDropped() {
        // GIVEN a SYN to 1442 captured leaving 3 times, and one kernel summary of those 3 drops after the capture point
        TrafficFile f = Scenarios.healthy(dir, "three-syns");
        for (int i = 0; i < 3; i++) {
            f.tcp(2_000_000 + i * 1_000_000L, CLIENT, 50600, SERVER, 1442, Frames.SYN, 9100, 0, 0);
        }
        CapturedTraffic traffic = f.kernelEvidenceRecorded().journal(summary(2_000_050, 50600, 1442, 3)).read();

        Verdict v = traffic.verdictsTo(1442).get(0);
        Assertions.assertThat(v.isFailure()).isTrue();
        Assertions.assertThat(v.sentence()).contains("SYN sent 3\u00d7").endsWith("; the records count 3 dropped packets");
        Assertions.assertThat(traffic.diagnosis(SERVER, 1442).sentence())
                .contains("; the records count 3 dropped packets");
    }

    @Test
    void wireRecords_countTheirPackets_beyondTheInstantsTheyKeep() {
        // GIVEN one SYN sent 40 times, never answered: the record keeps 32 instants, it counts 40
        TrafficFile f = Scenarios.healthy(dir, "forty-syns");
        for (int i = 0; i < 40; i++) {
            f.tcp(1_000_000 + i * 1000L, CLIENT, 50500, SERVER, 1441, Frames.SYN, 9000, 0, 0);
        }
        CapturedTraffic traffic = f.read();

        Assertions.assertThat(traffic.dropsTo(1441)).singleElement().satisfies(d -> {
            Assertions.assertThat(d.times()).hasSize(32);
            Assertions.assertThat(d.count()).isEqualTo(40);
        });
    }
}
