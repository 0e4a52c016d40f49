package io.github.pcapunit.core.capture.internal.kernel;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One kernel trace event as recorded: tracepoint name, wall-clock time, CPU, the task that was
 * running (pid 0 / {@code <idle>} for softirq work) and the event's fields as printed by the kernel.
 *
 * @param name   tracepoint name, e.g. {@code kfree_skb}
 * @param time   wall-clock instant (converted from the instance's monotonic trace clock)
 * @param cpu    CPU number the event fired on
 * @param pid    the running task's pid
 * @param comm   the running task's name, e.g. {@code java}
 * @param fields the event's fields ({@code reason}, {@code location}, {@code saddr}, {@code sport}, ...)
 */
public record KernelEvent(String name, Instant time, int cpu, long pid, String comm, Map<String, String> fields) {

    /** Validates and copies the fields. */
    public KernelEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(comm, "comm");
        fields = Map.copyOf(fields);
    }

    /** The field's value, or {@code ""} when the event has no such field. */
    public String field(String key) {
        return fields.getOrDefault(key, "");
    }

    /** The field as an int, or -1 when missing or not a number. */
    public int intField(String key) {
        try {
            return Integer.parseInt(field(key));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether the running task was a real process rather than idle/softirq/kernel-thread context. */
    public boolean hasProcess() {
        return pid > 0 && !comm.startsWith("kworker/") && !comm.startsWith("ksoftirqd/") && !comm.equals("<idle>");
    }
}
