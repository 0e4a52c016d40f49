package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bpftrace} as a child process with a {@link BpfProgram} and reads its drop records
 * ({@link BpfLines}) on a daemon thread "pcapunit-bpftrace". Attaching takes seconds (bpftrace
 * compiles the program and reads the kernel's BTF), so {@link #start} does not wait: drops are
 * recorded from {@link #attachedAt()} on, and the caller says so. {@link #stop()} reads what was
 * traced up to its call (a heartbeat later than the call, at most {@link #DRAIN_MILLIS}), then
 * ends the process (SIGKILL); a shutdown hook ends it when the JVM exits without
 * stop(), and should the JVM be killed, bpftrace dies of SIGPIPE at its next heartbeat.
 *
 * <pre>{@code
 * BpfRecorder r = BpfRecorder.start(Path.of("/usr/bin/bpftrace"), program, lines);
 * ... traffic ...
 * r.stop();
 * r.events();   // kfree_skb events with the packets' own headers
 * }</pre>
 */
public final class BpfRecorder implements AutoCloseable {

    /** System property naming the bpftrace binary; an empty value or a missing file turns eBPF off. */
    public static final String PROPERTY = "pcapunit.bpftrace";
    /** The kernel's BTF, which bpftrace needs to read {@code struct sk_buff}. */
    static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
    /** How long {@link #stop()} waits for bpftrace's output to pass the moment of the call. */
    static final long DRAIN_MILLIS = 500;
    /** Drops kept one by one, over all flows; later ones are counted per kind ({@link #summaries()}). */
    static final int MAX_EVENTS = 2_000;
    /**
     * Drops of one kind kept one by one. A kind is reason, location, hook, namespace and the
     * packet's flow (protocol, addresses, ports, TCP flags): unlike the tracefs recorder, which
     * must key its cap before the flow is known, a flood of other flows' drops never uses up the
     * budget of a capture's own flow.
     */
    static final int MAX_PER_KIND = 200;
    /** Distinct kinds counted; beyond it drops are counted per reason, location, hook and namespace only. */
    static final int MAX_SUMMARIES = 1_000;
    /**
     * Drops of each kind kept one by one even past {@link #MAX_EVENTS}, for the first
     * {@link #MAX_FIRST_KINDS} kinds: a flood of other flows cannot take a flow's first drops
     * (and the comments on its captured packets) away; bounds the extra entries to 2,000.
     */
    static final int FIRST_PER_KIND = 4;
    /** Kinds whose {@link #FIRST_PER_KIND} drops are kept past {@link #MAX_EVENTS}. */
    static final int MAX_FIRST_KINDS = 500;
    private static final int STDERR_LINES = 40;

    private final Process process;
    private final BpfLines lines;
    private final Thread shutdownHook;
    private final long startNanos = System.nanoTime();
    private final Object lock = new Object();
    private final List<KernelEvent> events = new ArrayList<>();
    private final Map<List<String>, Integer> keptPerKind = new HashMap<>();
    private final Map<List<String>, Summary> summaries = new LinkedHashMap<>();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread reader;
    private final Thread errReader;
    private volatile long attachedMono = -1;
    private volatile long attachedNanos = -1;
    private volatile Instant endedAt;
    private volatile String failure;
    private volatile boolean stopping;
    /** When stop() gave up waiting for bpftrace's output to reach its call, the time it had reached. */
    private volatile Instant readUntil;
    private long overflow;

    /** For tests of the limits: a recorder of no process. */
    static BpfRecorder forLimitsTest(BpfLines lines) {
        return new BpfRecorder(null, lines);
    }

    private BpfRecorder(Process process, BpfLines lines) {
        this.process = process;
        this.lines = lines;
        this.shutdownHook = new Thread(this::kill, "pcapunit-bpftrace-cleanup");
        this.reader = new Thread(this::readLoop, "pcapunit-bpftrace");
        this.errReader = new Thread(this::errLoop, "pcapunit-bpftrace-stderr");
        reader.setDaemon(true);
        errReader.setDaemon(true);
    }

    /**
     * The bpftrace binary: the file {@value #PROPERTY} names when set (empty: none), else
     * {@code bpftrace} on the {@code PATH}; empty when there is none.
     */
    public static Optional<Path> binary() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null) {
            return configured.isBlank() ? Optional.empty() : Optional.of(Path.of(configured));
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "bpftrace"))) {
                return Optional.of(Path.of(dir, "bpftrace"));
            }
        }
        return Optional.empty();
    }

    /**
     * Why eBPF drop records cannot be recorded here (one clause), or empty when {@link #start}
     * may work: no bpftrace binary, no kernel BTF.
     */
    public static Optional<String> unavailableReason(Optional<Path> binary, Path btf) {
        String configured = System.getProperty(PROPERTY);
        if (binary.isEmpty()) {
            return Optional.of(configured != null
                    ? "system property " + PROPERTY + " is empty (eBPF turned off)"
                    : "bpftrace is not installed (apt-get install bpftrace)");
        }
        if (!Files.isExecutable(binary.get())) {
            return Optional.of("bpftrace " + binary.get() + " is not an executable file"
                    + (configured != null ? " (system property " + PROPERTY + ")" : ""));
        }
        if (!Files.isReadable(btf)) {
            return Optional.of("the kernel has no BTF at " + btf + " (CONFIG_DEBUG_INFO_BTF), which bpftrace needs"
                    + " to read packet headers");
        }
        return Optional.empty();
    }

    /**
     * Starts bpftrace with {@code program}; returns at once, before it has attached.
     *
     * @throws CaptureException when the process cannot be started (nothing is left behind)
     */
    static BpfRecorder start(Path binary, BpfProgram program, BpfLines lines) {
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-B", "line", "-e", program.text());
        // room for the socket owners of a busy machine (the default is 4,096 keys)
        pb.environment().put("BPFTRACE_MAP_KEYS_MAX", "65536");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new CaptureException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        BpfRecorder r = new BpfRecorder(process, lines);
        try {
            Runtime.getRuntime().addShutdownHook(r.shutdownHook);
            r.reader.start();
            r.errReader.start();
            return r;
        } catch (RuntimeException | Error e) {
            r.kill();
            throw e;
        }
    }

    /** When the probes were attached (bpftrace's BEGIN ran), or empty while it is still attaching. */
    public Optional<Instant> attachedAt() {
        long mono = attachedMono;
        return mono < 0 ? Optional.empty() : Optional.of(lines.wall(mono));
    }

    /** Milliseconds from {@link #start} to the attachment, or -1 while not attached. */
    public long attachMillis() {
        long at = attachedNanos;
        return at < 0 ? -1 : (at - startNanos) / 1_000_000;
    }

    /** When recording ended: at {@link #stop()}, or when bpftrace exited or failed; empty while running. */
    public Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    /** Why bpftrace stopped recording before {@link #stop()} (with its stderr), or empty. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The process, for tests (is it gone after stop?). */
    ProcessHandle process() {
        return process.toHandle();
    }

    /** The drops kept one by one so far, from the attachment on (a copy). */
    public List<KernelEvent> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /** Drops counted, not kept ({@link #MAX_EVENTS}, {@link #MAX_PER_KIND}). */
    public long overflow() {
        synchronized (lock) {
            return overflow;
        }
    }

    /** The counted drops per kind, in order of their first. */
    public List<Summary> summaries() {
        synchronized (lock) {
            return summaries.values().stream().map(Summary::copy).toList();
        }
    }

    /**
     * Reads bpftrace's output up to this moment (at most {@link #DRAIN_MILLIS}), then ends it.
     * Safe to call twice.
     */
    public void stop() {
        stopWithoutWaiting();
        awaitExit();
    }

    /**
     * As {@link #stop()}, but only sends SIGKILL: the kernel takes about 265 ms to tear down the
     * probes of a killed bpftrace (measured on this kernel), which the caller can overlap with
     * other work before {@link #awaitExit()}.
     */
    void stopWithoutWaiting() {
        if (stopping) {
            return;
        }
        long until = System.nanoTime();
        long deadline = until + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        if (attachedMono >= 0) {
            synchronized (lock) {
                while (lines.lastMono() < until && process.isAlive() && failure == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        lock.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        if (attachedMono >= 0 && lines.lastMono() < until && failure == null) {
            readUntil = lines.wall(lines.lastMono());
        }
        if (endedAt == null) {
            endedAt = Instant.now();
        }
        stopping = true;
        process.destroyForcibly();
    }

    /** Waits until the bpftrace process is gone and its output read (after a stop); never throws. */
    void awaitExit() {
        kill();
    }

    /**
     * When {@link #stop()} stopped waiting for bpftrace's output (a flood made it lag), the time
     * the output had reached: drops after it may be missing. Empty when it read up to the stop.
     */
    public Optional<Instant> readUntil() {
        return Optional.ofNullable(readUntil);
    }

    /** Drop records the kernel lost because bpftrace read its buffer too slowly. */
    public long lost() {
        synchronized (lock) {
            return lines.lost();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Ends the process and the reader threads; never throws. SIGKILL: its output up to the stop
     * was read, and its END block has nothing to give (SIGTERM let it detach and free its maps
     * itself, which added 350-400 ms to stop(); the kernel frees them as fast when it exits).
     */
    private void kill() {
        stopping = true;
        if (endedAt == null) {
            endedAt = Instant.now();
        }
        process.destroyForcibly();
        try {
            process.waitFor(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Thread t : List.of(reader, errReader)) {
            if (t != Thread.currentThread() && t.isAlive()) {
                try {
                    t.join(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook
        }
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                BpfLines.Kind kind;
                synchronized (lock) {
                    kind = lines.accept(line);
                }
                if (kind == BpfLines.Kind.READY) {
                    attachedNanos = System.nanoTime();
                    attachedMono = lines.lastMono();
                } else if (kind == BpfLines.Kind.DROP) {
                    keep(lines.last());
                }
                if (kind == BpfLines.Kind.READY || kind == BpfLines.Kind.HEARTBEAT) {
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                failure = "reading bpftrace's output failed: " + e;
            }
        } catch (RuntimeException e) {
            failure = "the bpftrace reader stopped on " + e;
            throw e;
        } finally {
            if (!stopping) {
                try {
                    process.waitFor(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (failure == null) {
                    failure = "bpftrace exited" + (process.isAlive() ? "" : " with status " + process.exitValue())
                            + (attachedMono < 0 ? " before attaching its probes" : " while recording") + ": "
                            + cause();
                }
                endedAt = Instant.now();
            }
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private void errLoop() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                synchronized (stderr) {
                    stderr.addLast(line.strip());
                    if (stderr.size() > STDERR_LINES) {
                        stderr.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended; what was read is the cause
        }
    }

    /**
     * bpftrace's error lines as one clause: its ERROR lines, without the warning that it could not
     * raise RLIMIT_MEMLOCK (harmless on kernels that account BPF memory by cgroup); else its last lines.
     */
    String cause() {
        try {
            // an exited bpftrace's stderr ends at once; only scheduling delays its reader (a loaded CI
            // machine took over 500 ms), so wait longer for an exited process than for a live one
            errReader.join(process.isAlive() ? 500 : 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> all;
        synchronized (stderr) {
            all = List.copyOf(stderr);
        }
        List<String> errors = all.stream().filter(l -> l.contains("ERROR") && !l.contains("RLIMIT_MEMLOCK")).toList();
        List<String> chosen = errors.isEmpty() ? all.stream().filter(l -> !l.contains("RLIMIT_MEMLOCK")).toList()
                : errors;
        if (chosen.isEmpty()) {
            return "no message on stderr";
        }
        String text = String.join(" / ", chosen.subList(Math.max(0, chosen.size() - 4), chosen.size()));
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    /** Keeps {@code event} one by one, or counts it in its kind's summary (see the limits above). */
    void keep(KernelEvent event) {
        List<String> kind = kind(event, true);
        synchronized (lock) {
            int kept = keptPerKind.getOrDefault(kind, 0);
            boolean underTotal = events.size() < MAX_EVENTS;
            boolean first = kept < FIRST_PER_KIND && (kept > 0 || keptPerKind.size() < MAX_FIRST_KINDS);
            if (kept < MAX_PER_KIND && (underTotal || first)) {
                keptPerKind.put(kind, kept + 1);
                events.add(event);
                return;
            }
            overflow++;
            List<String> key = summaries.containsKey(kind) || summaries.size() < MAX_SUMMARIES ? kind
                    : kind(event, false);
            Summary s = summaries.get(key);
            if (s == null) {
                summaries.put(key, new Summary(event, key == kind));
            } else {
                s.add(event.time());
            }
        }
    }

    /** The kind of a drop: with {@code flow}, every field but the TTL; without, reason, location, hook, namespace. */
    static List<String> kind(KernelEvent e, boolean flow) {
        return flow
                ? List.of(e.field("reason"), e.field("location"), e.field("hook"), e.field("netns_inode"),
                        e.field("ipproto"), e.field("saddr"), e.field("sport"), e.field("daddr"), e.field("dport"),
                        e.field("flags"), Long.toString(e.pid()))
                : List.of(e.field("reason"), e.field("location"), e.field("hook"), e.field("netns_inode"));
    }

    /**
     * Drops of one kind counted, not kept: {@link #count()} drops like {@link #example()} (whose
     * flow fields are left out when the kind is coarse) between {@link #first()} and {@link #last()}.
     */
    public static final class Summary {
        private final KernelEvent example;
        private final Instant first;
        private Instant last;
        private long count;

        private Summary(KernelEvent event, boolean withFlow) {
            this.example = withFlow ? event : coarse(event);
            this.first = event.time();
            this.last = event.time();
            this.count = 1;
        }

        private static KernelEvent coarse(KernelEvent e) {
            Map<String, String> f = new LinkedHashMap<>();
            for (String k : List.of("source", "reason", "location", "protocol", "hook", "netns_inode", "netns")) {
                if (!e.field(k).isEmpty()) {
                    f.put(k, e.field(k));
                }
            }
            return new KernelEvent(e.name(), e.time(), -1, -1, "", f);
        }

        void add(Instant t) {
            count++;
            if (t.isAfter(last)) {
                last = t;
            }
        }

        Summary copy() {
            Summary c = new Summary(example, true);
            c.last = last;
            c.count = count;
            return c;
        }

        /** The first drop of the kind (its fields are the kind's). */
        public KernelEvent example() {
            return example;
        }

        /** How many drops it stands for. */
        public long count() {
            return count;
        }

        /** The first drop's time. */
        public Instant first() {
            return first;
        }

        /** The last drop's time. */
        public Instant last() {
            return last;
        }
    }

    /** Process names by pid, read from /proc while the process lives (the recorded comm is a thread's). */
    static final class ProcessNames {
        private final Map<Long, String> names = new ConcurrentHashMap<>();

        String name(long pid) {
            return names.computeIfAbsent(pid, p -> {
                try {
                    return Files.readString(Path.of("/proc", Long.toString(p), "comm")).strip();
                } catch (IOException e) {
                    return "";
                }
            });
        }
    }
}
