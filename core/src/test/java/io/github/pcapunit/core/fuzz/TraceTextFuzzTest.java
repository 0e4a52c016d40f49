package io.github.pcapunit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.capture.internal.kernel.KernelTraceText;

/**
 * Fuzz target for the tracefs text parsers: any {@code trace_pipe} line parses to an event or
 * to nothing (comments, other formats, garbage), and any event {@code format} file gives a
 * filter or none - neither ever throws, since an exception would end the kernel trace reader.
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=TraceTextFuzzTest
 * </pre>
 */
class TraceTextFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void anyTraceLineOrFormatFile_parsesWithoutThrowing(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            String filter = KernelTraceText.filterFor(data.consumeRemainingAsString());
            assertThat(filter).doesNotContain("\n");
            return;
        }
        long offset = data.consumeLong(0, 2_000_000_000_000_000_000L); // wall minus monotonic clock: up to 2033
        KernelTraceText.parse(data.consumeRemainingAsString(), offset).ifPresent(e -> {
            assertThat(e.name()).isNotBlank();
            // clock offset and trace clock are never negative: an earlier time is an overflow
            assertThat(e.time()).isAfterOrEqualTo(java.time.Instant.EPOCH);
            e.fields().forEach((k, v) -> assertThat(k).isNotBlank());
        });
    }
}
