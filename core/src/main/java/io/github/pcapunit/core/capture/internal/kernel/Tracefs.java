package io.github.pcapunit.core.capture.internal.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds (and if needed mounts) tracefs and says, in one sentence, why kernel evidence cannot be
 * recorded when it cannot.
 */
final class Tracefs {

    static final Path TRACING = Path.of("/sys/kernel/tracing");
    private static final Path DEBUG_TRACING = Path.of("/sys/kernel/debug/tracing");

    /** Tracepoints recorded; the first is required, the others are used where the kernel has them. */
    static final List<String> EVENTS = List.of("skb/kfree_skb", "sock/inet_sock_set_state", "tcp/tcp_retransmit_skb",
            "tcp/tcp_send_reset", "tcp/tcp_receive_reset", "sched/sched_process_exec");

    private Tracefs() {
    }

    /** The tracefs root, mounting it at /sys/kernel/tracing when it is not mounted yet. */
    static synchronized Optional<Path> root() {
        for (Path candidate : List.of(TRACING, DEBUG_TRACING)) {
            if (Files.isDirectory(candidate.resolve("instances"))) {
                return Optional.of(candidate);
            }
        }
        if (Files.isDirectory(TRACING) && mount()) {
            return Files.isDirectory(TRACING.resolve("instances")) ? Optional.of(TRACING) : Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean mount() {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tracefs", "nodev", TRACING.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Why kernel evidence is unavailable here, as one clause, or empty when it is available.
     * Example: "tracefs is not mounted at /sys/kernel/tracing and cannot be mounted (needs root;
     * in a container, mount it from the host)".
     */
    static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("it needs Linux tracefs, this is "
                    + System.getProperty("os.name"));
        }
        Optional<Path> root = root();
        if (root.isEmpty()) {
            return Optional.of("tracefs is not mounted at " + TRACING
                    + " and cannot be mounted (needs root; in a container, mount it from the host)");
        }
        Path instances = root.get().resolve("instances");
        if (!Files.isWritable(instances)) {
            return Optional.of(instances
                    + " is not writable (run as root or grant CAP_SYS_ADMIN)");
        }
        if (!Files.isRegularFile(root.get().resolve("events").resolve(EVENTS.get(0)).resolve("format"))) {
            return Optional.of("this kernel has no skb:kfree_skb tracepoint");
        }
        return Optional.empty();
    }
}
