package io.github.pcapunit.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.State;
import io.github.pcapunit.core.check.internal.Contexts;
import io.github.pcapunit.core.check.internal.MessageContext;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evidence status is a value written as journal data and read back as the same value; nothing parses its sentence. */
class EvidenceStatusTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.000001Z");

    @TempDir
    Path dir;

    @Test
    void everyState_roundTripsThroughItsJournalEntry() {
        EvidenceStatus recorded = EvidenceStatus.builder(KernelEvidence.AUTO)
                .source(SourceStatus.recorded(Source.KERNEL_TRACE).withCounts(41, 3))
                .source(SourceStatus.recorded(Source.FIREWALL_EXPLAIN).withScope("\"tcp dport 1433\" in the JVM's namespace")
                        .withCounts(2, 0))
                .build();
        EvidenceStatus unavailable = EvidenceStatus.builder(KernelEvidence.AUTO)
                .source(SourceStatus.unavailable(Source.KERNEL_TRACE, "tracefs is not mounted at /sys/kernel/tracing"))
                .build();
        EvidenceStatus failed = EvidenceStatus.builder(KernelEvidence.AUTO)
                .source(SourceStatus.failed(Source.KERNEL_TRACE, "cannot create tracefs instance x: File exists"))
                .build();
        EvidenceStatus off = EvidenceStatus.builder(KernelEvidence.OFF).build();
        EvidenceStatus multiLine = EvidenceStatus.builder(KernelEvidence.REQUIRED)
                .source(SourceStatus.failed(Source.KERNEL_TRACE, "nft said:\nError: syntax error")).build();

        for (EvidenceStatus s : new EvidenceStatus[] {recorded, unavailable, failed, off, multiLine}) {
            assertThat(EvidenceStatus.fromJournalEntry(s.toJournalEntry(T0))).as(s.toString()).contains(s);
        }
        assertThat(failed.source(Source.KERNEL_TRACE).state()).isEqualTo(State.FAILED);
        assertThat(failed.source(Source.KERNEL_TRACE).cause()).contains("cannot create tracefs instance x: File exists");
        assertThat(off.recorded(Source.KERNEL_TRACE)).isFalse();
        assertThat(off.source(Source.FIREWALL_EXPLAIN).state()).isEqualTo(State.NOT_REQUESTED);
    }

    @Test
    void missingRecords_areAnUpperBoundThatRoundTripsAndIsSaid() {
        SourceStatus ebpf = SourceStatus.recorded(Source.EBPF_DROPS).withScope("from 10:00 to stop; the kernel skipped"
                + " bpftrace's probes 2 times").withCounts(9, 0).withMissing(2);
        EvidenceStatus status = EvidenceStatus.builder(KernelEvidence.AUTO).source(ebpf).build();

        assertThat(EvidenceStatus.fromJournalEntry(status.toJournalEntry(T0))).contains(status);
        assertThat(ebpf.missing()).isEqualTo(2);
        assertThat(ebpf.describe()).endsWith(": 9 drops, up to 2 missing");
        // none missing: not written, read back as 0, not said
        SourceStatus complete = SourceStatus.recorded(Source.EBPF_DROPS).withCounts(9, 0);
        assertThat(EvidenceStatus.builder(KernelEvidence.AUTO).source(complete).build().toJournalEntry(T0)
                .has(JournalKey.PCAPUNIT_EBPF_DROPS_MISSING)).isFalse();
        assertThat(complete.missing()).isZero();
        assertThat(complete.describe()).doesNotContain("missing");
        assertThatThrownBy(() -> complete.withMissing(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void describe_isDerivedFromTheValue() {
        assertThat(EvidenceStatus.builder(KernelEvidence.OFF).build().describe()).isEqualTo("kernel evidence off");
        assertThat(EvidenceStatus.builder(KernelEvidence.AUTO)
                .source(SourceStatus.recorded(Source.KERNEL_TRACE).withCounts(41, 3)).build().describe())
                .isEqualTo("kernel evidence recorded (tracefs): 41 events, 3 more counted per reason and flow, not kept one by one");
        assertThat(EvidenceStatus.builder(KernelEvidence.OFF)
                .source(SourceStatus.recorded(Source.FIREWALL_EXPLAIN).withScope("\"tcp dport 1433\" in the JVM's namespace")
                        .withCounts(1, 0)).build().describe())
                .isEqualTo("kernel evidence off; firewall explain traced \"tcp dport 1433\" in the JVM's namespace:"
                        + " 1 drop verdict");
        assertThat(EvidenceStatus.builder(KernelEvidence.AUTO)
                .source(SourceStatus.failed(Source.KERNEL_TRACE, "the trace reader stopped on java.lang.IllegalStateException: x"))
                .build().describe())
                .isEqualTo("kernel evidence failed: the trace reader stopped on java.lang.IllegalStateException: x");
    }

    @Test
    void statusEntryInAFile_isReadBackAsData_andDecidesTheMessageContext() {
        EvidenceStatus failed = EvidenceStatus.builder(KernelEvidence.AUTO)
                .source(SourceStatus.failed(Source.KERNEL_TRACE, "cannot set up tracefs instance x: No space left on device"))
                .build();
        // The section comment claims the opposite: it is for people and never read.
        Path file = write("failed.pcapng", failed.toJournalEntry(T0), "kernel evidence recorded (tracefs): 9 events");

        CapturedTraffic traffic = CapturedTraffic.read(file);

        assertThat(traffic.evidenceStatus()).contains(failed);
        assertThat(traffic.kernelEvidenceStatus()).contains(failed.describe());
        MessageContext context = Contexts.of(traffic);
        assertThat(context.kernelEvidence()).isEqualTo(
                "Kernel evidence failed: cannot set up tracefs instance x: No space left on device.");

        EvidenceStatus recorded = EvidenceStatus.builder(KernelEvidence.REQUIRED)
                .source(SourceStatus.recorded(Source.KERNEL_TRACE)).build();
        Path ok = write("recorded.pcapng", recorded.toJournalEntry(T0), "nothing about evidence here");
        assertThat(Contexts.of(CapturedTraffic.read(ok)).kernelEvidence()).isNull();
    }

    @Test
    void damagedStatusEntry_failsNamingTheFieldAndValue() {
        JournalEntry bad = JournalEntry.builder(T0).field(JournalKey.PCAPUNIT_EVENT, EvidenceStatus.JOURNAL_EVENT)
                .field(JournalKey.PCAPUNIT_EVIDENCE_MODE, "AUTO")
                .field(JournalKey.PCAPUNIT_KERNEL_TRACE_STATE, "MAYBE").build();

        assertThatThrownBy(() -> EvidenceStatus.fromJournalEntry(bad)).isInstanceOf(CaptureException.class)
                .hasMessageContaining("PCAPUNIT_KERNEL_TRACE_STATE=\"MAYBE\", not one of [RECORDED, NOT_REQUESTED,"
                        + " UNAVAILABLE, FAILED]");
        JournalEntry noCause = JournalEntry.builder(T0).field(JournalKey.PCAPUNIT_EVENT, EvidenceStatus.JOURNAL_EVENT)
                .field(JournalKey.PCAPUNIT_EVIDENCE_MODE, "AUTO")
                .field(JournalKey.PCAPUNIT_KERNEL_TRACE_STATE, "FAILED").build();
        assertThatThrownBy(() -> EvidenceStatus.fromJournalEntry(noCause)).isInstanceOf(CaptureException.class)
                .hasMessageContaining("has no PCAPUNIT_KERNEL_TRACE_CAUSE");
        assertThat(EvidenceStatus.fromJournalEntry(JournalEntry.builder(T0)
                .field(JournalKey.PCAPUNIT_EVENT, "mark").build())).isEmpty();
    }

    private Path write(String name, JournalEntry status, String comment) {
        Path file = dir.resolve(name);
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.builder().comment(comment).build(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build())) {
            w.writeJournal(status);
        }
        return file;
    }
}
