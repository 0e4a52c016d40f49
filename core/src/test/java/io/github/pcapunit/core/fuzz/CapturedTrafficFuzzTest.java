package io.github.pcapunit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import java.nio.file.Path;

/**
 * Fuzz target for the whole analysis of a file: a fuzzed pcap or pcapng file gives
 * connections, exchanges, drops (kernel and firewall evidence read back from its journal
 * entries) and decoded packets, or fails with a documented exception (a
 * {@link io.github.pcapunit.core.PcapFormatException} for a damaged file, a
 * {@link io.github.pcapunit.core.CaptureException} naming a malformed pcapunit journal entry).
 * Every drop record it does give is a real one: a reason and a component.
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=CapturedTrafficFuzzTest
 * </pre>
 */
class CapturedTrafficFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void anyFile_isAnalysedOrRejectedWithDocumentedException(byte[] input) {
        Path file = FuzzFiles.write("traffic.pcapng", input);
        try {
            CapturedTraffic t = CapturedTraffic.read(file);
            analyse(t);
            analyse(t.filter("tcp or udp or icmp"));
        } catch (RuntimeException e) {
            if (!FuzzFiles.documented(e)) {
                throw e;
            }
        }
    }

    static void analyse(CapturedTraffic t) {
        long packets = t.packetCount();
        assertThat(packets).isGreaterThanOrEqualTo(0);
        t.damagedPacketCount();
        t.firstPacketTime();
        t.lastPacketTime();
        t.isComplete();
        t.incompleteness();
        t.evidenceStatus();
        t.journal();
        t.connections().forEach(c -> assertThat(c.toString()).isNotBlank());
        t.udpExchanges().forEach(u -> assertThat(u.toString()).isNotBlank());
        t.icmpEchoes().forEach(i -> assertThat(i.toString()).isNotBlank());
        for (Drop d : t.drops()) {
            assertRealDrop(d);
        }
        // counted before verdicts() builds the quiet flows' verdicts: it must agree with counting them
        java.util.Map<io.github.pcapunit.core.analysis.Fate, Long> fates = t.flowsByFate();
        java.util.Map<io.github.pcapunit.core.analysis.Fate, Long> counted =
                new java.util.EnumMap<>(io.github.pcapunit.core.analysis.Fate.class);
        t.verdicts().forEach(v -> counted.merge(v.fate(), 1L, Long::sum));
        assertThat(fates).containsExactlyEntriesOf(counted);
        t.destinations();
        t.addresses();
        t.packetsTo(1433);
        t.dropsTo(1433);
        assertThat(t.packets().peek(p -> assertThat(p.summary()).isNotBlank()).count()).isEqualTo(packets);
        assertThat(t.toString()).isNotBlank();
    }

    /**
     * A drop record is a real one: what it states is not blank (a crafted journal entry once
     * gave "reason , component kernel"), and a kernel drop states its reason.
     */
    static void assertRealDrop(Drop d) {
        d.reason().ifPresent(r -> assertThat(r).as("reason of %s", d).isNotBlank());
        d.component().ifPresent(c -> assertThat(c).as("component of %s", d).isNotBlank());
        d.location().ifPresent(l -> assertThat(l).as("location of %s", d).isNotBlank());
        d.processName().ifPresent(n -> assertThat(n).as("process of %s", d).isNotBlank());
        if (d.source() == EvidenceSource.KERNEL || d.source() == EvidenceSource.FIREWALL) {
            assertThat(d.reason()).as("reason of %s", d).isPresent();
        }
        assertThat(d.description()).isNotBlank();
        assertThat(d.toString()).isNotBlank();
    }
}
