package io.github.pcapunit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.PcapConversion;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapReader.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Fuzz target for conversion: one or two fuzzed classic pcap inputs (with a fuzzed size cap and
 * a journal entry) convert to a pcapng file that reads back with exactly the packets and
 * entries the summary counts - or the conversion fails with a documented exception and leaves
 * no output file.
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=PcapConversionFuzzTest
 * </pre>
 */
class PcapConversionFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void anyPcapInput_convertsToReadablePcapngOrFailsCleanly(FuzzedDataProvider data) throws Exception {
        boolean two = data.consumeBoolean();
        boolean capped = data.consumeBoolean();
        long cap = data.consumeLong(4096, 1 << 16); // below 4096 the builder refuses the option itself
        byte[] first = data.consumeBytes(two ? data.consumeInt(0, data.remainingBytes()) : data.remainingBytes());
        byte[] second = data.consumeRemainingAsBytes();
        PcapConversion.Builder b = PcapConversion.builder().addInput(FuzzFiles.write("a.pcap", first))
                .journal(List.of(JournalEntry.builder(Instant.ofEpochSecond(1_700_000_000L))
                        .field(JournalKey.PCAPUNIT_EVENT, "mark").field(JournalKey.MESSAGE, "fuzz").build()));
        if (two) {
            b.addInput(FuzzFiles.write("b.pcap", second));
        }
        if (capped) {
            b.maxBytes(cap);
        }
        Path out = FuzzFiles.fresh("out.pcapng");
        PcapConversion.Summary summary;
        try {
            summary = b.build().convert(out);
        } catch (RuntimeException e) {
            if (!FuzzFiles.documented(e)) {
                throw e;
            }
            assertThat(Files.exists(out)).as("output left after %s", e.toString()).isFalse();
            return;
        }
        long packets = 0;
        long entries = 0;
        try (PcapReader r = PcapReader.open(out)) {
            for (RecordKind k = r.next(); k != RecordKind.END; k = r.next()) {
                if (k == RecordKind.PACKET) {
                    packets++;
                    r.packet();
                } else if (k == RecordKind.JOURNAL) {
                    entries++;
                }
            }
            assertThat(r.truncatedAt()).isEmpty();
        }
        assertThat(packets).isEqualTo(summary.packets());
        assertThat(entries).isEqualTo(summary.journalEntries());
        if (capped) {
            assertThat(Files.size(out)).as("file size under maxBytes(%d)", cap).isLessThanOrEqualTo(cap);
        }
        assertThat(summary.bytes()).isEqualTo(Files.size(out));
    }
}
