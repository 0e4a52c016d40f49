package io.github.pcapunit.core.capture.internal.kernel;

import java.time.Instant;
import java.util.Objects;

/**
 * Kernel events of one kind that a recorder counted instead of keeping them one by one (its limits
 * bound the journal under a flood): {@code count} events like {@code example} from {@code first}
 * to {@code last}. {@link KernelRecorder} (tracefs) and {@link BpfSubscription} (eBPF, whose
 * example has {@code source=EBPF}) make them, and {@link KernelJournal#fields(KernelSummary)}
 * writes each as one {@code kernel_trace_summary} journal entry.
 *
 * <pre>{@code
 * KernelSummary s = KernelSummary.of(drop);   // a kfree_skb NO_SOCKET past the limits, at 12:00:00
 * s = s.plus(later.time());                   // another one like it, at 12:00:04
 * s.count();                                  // 2
 * s.example().field("reason");                // "NO_SOCKET"
 * s.first() + " to " + s.last();              // "...T12:00:00Z to ...T12:00:04Z"
 * }</pre>
 *
 * @param example the kind's first event, with the fields the kind is told apart by (a recorder may
 *                leave out the others, e.g. a flow's addresses when it counts per reason only)
 * @param count   how many events it stands for
 * @param first   the first event's time
 * @param last    the last event's time
 */
public record KernelSummary(KernelEvent example, long count, Instant first, Instant last) {

    /** Checks the fields. */
    public KernelSummary {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
    }

    /** The summary of {@code example} alone. */
    static KernelSummary of(KernelEvent example) {
        return new KernelSummary(example, 1, example.time(), example.time());
    }

    /** This summary with one more event of the kind, at {@code time}. */
    KernelSummary plus(Instant time) {
        return new KernelSummary(example, count + 1, first, time.isAfter(last) ? time : last);
    }
}
