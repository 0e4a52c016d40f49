package io.github.pcapunit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapReader.RecordKind;

/**
 * Fuzz target for {@link PcapReader}: any byte sequence either reads or fails with a
 * {@link PcapFormatException} — never another exception, an OOM, or an endless loop.
 *
 * <p>Plain {@code ./mvnw verify} runs the seed corpus in
 * {@code src/test/resources/io/github/pcapunit/core/fuzz/PcapReaderFuzzTestInputs/} (regression
 * mode) in the normal test phase, and fuzzes for {@code pcapunit.fuzz.duration} (15 s) in the
 * {@code fuzz} surefire execution, as every target in this package. Longer runs of all targets
 * (see BENCHMARKS.md, "Reader fuzzing"): {@code scripts/fuzz-long.sh [minutes]}.
 */
class PcapReaderFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void anyInput_readsOrFailsWithPcapFormatException(byte[] input) {
        long records = 0;
        try (PcapReader r = PcapReader.of(input)) {
            for (RecordKind k = r.next(); k != RecordKind.END; k = r.next()) {
                records++;
                switch (k) {
                    case PACKET:
                        assertThat(r.capturedLength()).isBetween(0, input.length);
                        r.packet();
                        r.payload();
                        break;
                    case JOURNAL:
                        r.journalEntry().message();
                        break;
                    case STATISTICS:
                        r.statistics();
                        break;
                    default:
                        break;
                }
                // every record consumes at least 12 bytes: no endless loop
                assertThat(records * 12).isLessThanOrEqualTo(input.length);
            }
            r.truncatedAt().ifPresent(off -> assertThat(off).isBetween(0L, (long) input.length));
        } catch (PcapFormatException expected) {
            assertThat(expected.offset()).isBetween(0L, (long) input.length);
            assertThat(expected.getMessage()).contains("offset");
        }
    }
}
