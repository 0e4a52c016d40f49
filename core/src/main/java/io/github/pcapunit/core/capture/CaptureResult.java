package io.github.pcapunit.core.capture;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished capture (or a slice or snapshot of one): the pcapng file and honest statistics.
 * Read the packets with {@code CapturedTraffic.of(result)}.
 *
 * <pre>{@code
 * CaptureResult result = capture.stop();
 * Path file = result.file();
 * if (result.packetsDropped() > 0) {
 *     System.err.println("capture lost packets: " + result.statistics());
 * }
 * }</pre>
 */
public final class CaptureResult {

    private final Path file;
    private final CaptureSpec spec;
    private final Instant start;
    private final Instant end;
    private final List<CaptureStatistics> statistics;
    private final Instant truncatedAt;
    private final EvidenceStatus evidenceStatus;

    /**
     * A result; built by the capture engine.
     *
     * @param file the pcapng file
     * @param spec what was asked for
     * @param start when capturing started
     * @param end when capturing ended
     * @param statistics per-interface counters, in the order of {@link CaptureSpec#effectiveInterfaces()}
     * @param truncatedAt when the size cap stopped writing, or {@code null}
     * @param evidenceStatus what evidence beyond the packets was recorded (as stored in the file)
     */
    public CaptureResult(Path file, CaptureSpec spec, Instant start, Instant end, List<CaptureStatistics> statistics,
            Instant truncatedAt, EvidenceStatus evidenceStatus) {
        this.file = Objects.requireNonNull(file, "file");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.start = Objects.requireNonNull(start, "start");
        this.end = Objects.requireNonNull(end, "end");
        this.statistics = List.copyOf(statistics);
        this.truncatedAt = truncatedAt;
        this.evidenceStatus = Objects.requireNonNull(evidenceStatus, "evidenceStatus");
    }

    /** The pcapng file holding the packets and journal entries. */
    public Path file() {
        return file;
    }

    /** The spec the capture ran with. */
    public CaptureSpec spec() {
        return spec;
    }

    /** When capturing started. */
    public Instant start() {
        return start;
    }

    /** When capturing ended (for a slice: the end of its window). */
    public Instant end() {
        return end;
    }

    /** Counters per interface. */
    public List<CaptureStatistics> statistics() {
        return statistics;
    }

    /** Packets written to the file, all interfaces. */
    public long packetsWritten() {
        return statistics.stream().mapToLong(CaptureStatistics::packetsWritten).sum();
    }

    /** Packets lost in kernel buffers or interfaces, all interfaces; 0 for a complete capture. */
    public long packetsDropped() {
        return statistics.stream().mapToLong(s -> s.kernelBufferDrops() + s.interfaceDrops()).sum();
    }

    /** Whether the size cap stopped writing before the capture ended. */
    public boolean truncated() {
        return truncatedAt != null;
    }

    /** When the size cap stopped writing; empty if it did not. */
    public Optional<Instant> truncatedAt() {
        return Optional.ofNullable(truncatedAt);
    }

    /**
     * What evidence beyond the packets the capture recorded: per source (kernel trace, firewall
     * explain) whether it did and, if not, why. The file holds the same value, so
     * {@code CapturedTraffic.read(result.file()).evidenceStatus()} equals it.
     *
     * <pre>{@code
     * if (!result.evidenceStatus().recorded(EvidenceStatus.Source.KERNEL_TRACE)) {
     *     System.err.println(result.kernelEvidenceStatus());
     * }
     * }</pre>
     */
    public EvidenceStatus evidenceStatus() {
        return evidenceStatus;
    }

    /**
     * {@link #evidenceStatus()} as one sentence for people, e.g. {@code "kernel evidence off"} or
     * {@code "kernel evidence recorded (tracefs): 41 events"}. Decide on {@link #evidenceStatus()}, not on this text.
     */
    public String kernelEvidenceStatus() {
        return evidenceStatus.describe();
    }

    @Override
    public String toString() {
        return "CaptureResult[" + file + ", " + packetsWritten() + " packets, " + start + " .. " + end
                + (truncated() ? ", truncated at " + truncatedAt : "") + ", " + statistics + "]";
    }
}
