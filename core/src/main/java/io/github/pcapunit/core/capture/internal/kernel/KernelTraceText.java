package io.github.pcapunit.core.capture.internal.kernel;

import java.util.Optional;

/** Entry points to the trace-text parsing for tests and tools that replay recorded trace lines. */
public final class KernelTraceText {

    private KernelTraceText() {
    }

    /**
     * Parses one {@code trace_pipe} line; {@code wallMinusMonoNanos} converts the monotonic trace
     * clock to epoch time. Example: {@code KernelTraceText.parse(line, 0)}.
     */
    public static Optional<KernelEvent> parse(String line, long wallMinusMonoNanos) {
        return new TraceLines(wallMinusMonoNanos).parse(line);
    }

    /** The {@code kfree_skb} filter for a kernel whose event format file reads {@code formatFile}. */
    public static String filterFor(String formatFile) {
        return DropReasons.parse(formatFile).filter();
    }
}
