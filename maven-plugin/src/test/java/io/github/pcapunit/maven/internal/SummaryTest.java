package io.github.pcapunit.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.core.pcapng.LinkType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {

    @TempDir
    Path dir;

    private CaptureResult result(long kernelBufferDrops, long interfaceDrops, Instant truncatedAt)
            throws Exception {
        Path file = Files.write(dir.resolve("app.pcapng"), new byte[3000]);
        Instant now = Instant.now();
        return new CaptureResult(file, CaptureSpec.builder().build(), now, now.plusSeconds(1),
                List.of(new CaptureStatistics("lo", LinkType.ETHERNET, 42, 45, kernelBufferDrops,
                        interfaceDrops)), truncatedAt, EvidenceStatus.builder(KernelEvidence.AUTO)
                        .source(EvidenceStatus.SourceStatus.recorded(EvidenceStatus.Source.KERNEL_TRACE)).build());
    }

    @Test
    void completeCapture_givesPacketsSizeLossDropsAndFile() throws Exception {
        assertThat(Summary.line(result(0, 0, null), 2, "target/pcapunit/app.pcapng"))
                .isEqualTo("captured 42 packets, 2.9 KiB, capture loss 0, kernel drops seen 2"
                        + " -> target/pcapunit/app.pcapng");
    }

    @Test
    void lossAndSizeCap_areBothStated() throws Exception {
        assertThat(Summary.line(result(3, 1, Instant.now()), -1, "x.pcapng"))
                .isEqualTo("captured 42 packets, 2.9 KiB, capture loss 4, kernel drops seen n/a,"
                        + " TRUNCATED at the size cap -> x.pcapng");
    }

    @Test
    void kernelRecordWithoutAFlow_countsAsKernelDrop_butIsNoDiagnosis() {
        // Kernel evidence is machine-wide: a record without a flow may be another process's.
        List<Drop> drops = List.of(Drop.builder(DropKind.REFUSED, EvidenceSource.KERNEL)
                .description("Drop: reason NO_SOCKET, component UDP").build());

        assertThat(Summary.kernelDrops(drops)).isEqualTo(1);
        assertThat(Summary.diagnosis(drops)).isEmpty();
        assertThat(Summary.diagnosis(List.of())).isEmpty();
    }

    @Test
    void bytes_useBinaryUnits() {
        assertThat(Summary.bytes(812)).isEqualTo("812 B");
        assertThat(Summary.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(Summary.bytes(3L << 20)).isEqualTo("3.0 MiB");
    }

    @Test
    void reportPath_sitsNextToTheCapture() {
        assertThat(Report.pathFor(Path.of("target/pcapunit/app.pcapng")))
                .isEqualTo(Path.of("target/pcapunit/app-report.txt"));
        assertThat(Report.pathFor(Path.of("old.pcap"))).isEqualTo(Path.of("old-report.txt"));
    }
}
