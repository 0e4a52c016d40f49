package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.internal.PidNamespaces;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records kernel events in a private tracefs instance
 * ({@code instances/pcapunit-<pid>-<n>}, {@code -pidns<inode>} added outside the initial PID
 * namespace: see {@link PidNamespaces}; never the global buffer) while a capture runs. A daemon
 * thread "pcapunit-kernel-trace" reads {@code trace_pipe}; {@link #stop()} turns the events off,
 * writes a marker, reads up to it and removes the instance. The instance is also removed on a
 * failed start and by a shutdown hook.
 *
 * <pre>{@code
 * KernelRecorder recorder = KernelRecorder.start();
 * ... traffic ...
 * List<KernelEvent> events = recorder.stop();
 * }</pre>
 */
public final class KernelRecorder implements AutoCloseable {

    /**
     * How long {@link #stop()} waits for the reader to read what was traced before it: bounds
     * stop under a flood; events left in the buffer then are counted ({@link #unread()}).
     */
    static final long DRAIN_MILLIS = 500;
    /**
     * Events kept one by one; beyond it events are counted per {@link #key} ({@link #summaries()}).
     * Every kept event becomes a journal entry at stop, so this bounds {@code stop()} under a flood
     * (a UDP flood to a closed port fires tens of thousands of {@code kfree_skb} a second; 200,000
     * kept events took 7 s to stop). A test's firewall drops and resets are a few dozen events.
     */
    static final int MAX_EVENTS = 2_000;
    /**
     * Events of one kind (a {@link #key}: event, reason, location, protocol, flow, states)
     * kept one by one; later ones are counted. A flood is one kind (a UDP flood to a closed port is
     * {@code kfree_skb NO_SOCKET __udp4_lib_rcv}), and each kept event costs a journal entry, so
     * this keeps a flood from filling {@link #MAX_EVENTS}: with 2,000 kept flood events a JVM's
     * first stop() took 2-4 s on a loaded 2-CPU machine (BENCHMARKS.md "Stop under a flood"),
     * while each connection's events remain a kind of their own.
     */
    static final int MAX_PER_KIND = 200;
    /** Distinct summary keys; beyond it events are summarized per event name and reason only. */
    static final int MAX_SUMMARIES = 1_000;
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Path instance;
    private final DropReasons reasons;
    private final TraceLines parser;
    private final String stopMarker;
    private final List<KernelEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch readerDone = new CountDownLatch(1);
    private final Thread shutdownHook;
    private final AtomicInteger overflow = new AtomicInteger();
    /** Events not kept one by one, counted per key (guarded by {@link #events}). */
    private final java.util.Map<List<String>, KernelSummary> summaries = new java.util.LinkedHashMap<>();
    private final java.util.Map<Long, String> commByPid = new java.util.concurrent.ConcurrentHashMap<>();
    /** The process of each thread seen in an event (thread id → thread group id and name). */
    private final java.util.Map<Long, Owner> ownerByTid = new java.util.concurrent.ConcurrentHashMap<>();
    /** What stopped the recording early (the reader failed, the buffer could not be drained), or null. */
    private volatile String failure;
    /** Events still in the trace buffer when {@link #stop()} gave up waiting for the reader. */
    private volatile long unread;
    /** Events the kernel overwrote before the reader got them (the reader was too slow). */
    private volatile long overrun;
    /** Events kept per kind ({@link #key} with every field; guarded by {@link #events}). */
    private final java.util.Map<List<String>, Integer> keptPerKind = new java.util.HashMap<>();
    private FileChannel pipe;
    private Thread reader;
    private volatile boolean stopped;

    /** A recorder of {@code instance} that reads nothing yet ({@link #start()} starts one; tests feed {@link #accept}). */
    KernelRecorder(Path instance, DropReasons reasons) {
        this.instance = instance;
        this.reasons = reasons;
        this.parser = new TraceLines(TraceLines.measureOffset());
        this.stopMarker = "pcapunit-stop-" + instance.getFileName();
        // The open trace_pipe makes rmdir fail with EBUSY: the hook closes it first, like stop().
        this.shutdownHook = new Thread(this::abort, "pcapunit-kernel-trace-cleanup");
    }

    /**
     * Why recording is impossible here (one clause, e.g. "tracefs is not mounted at ..."), or empty
     * when {@link #start()} can work.
     */
    public static Optional<String> unavailableReason() {
        return Tracefs.unavailableReason();
    }

    /**
     * Creates the instance, enables the tracepoints and starts the reader thread.
     *
     * @throws CaptureException with the one-sentence reason when kernel evidence is unavailable or
     *         the instance cannot be set up (then nothing is left behind)
     */
    public static KernelRecorder start() {
        Optional<String> reason = Tracefs.unavailableReason();
        if (reason.isPresent()) {
            throw new CaptureException("kernel evidence unavailable: " + reason.get());
        }
        Path root = Tracefs.root().orElseThrow();
        removeStaleInstances(root.resolve("instances"));
        Path instance = root.resolve("instances").resolve("pcapunit-" + ProcessHandle.current().pid() + "-"
                + SEQ.incrementAndGet() + PidNamespaces.suffix("-"));
        DropReasons reasons;
        try {
            reasons = DropReasons.parse(Files.readString(root.resolve("events/skb/kfree_skb/format")));
            Files.createDirectory(instance);
        } catch (IOException e) {
            throw new CaptureException("cannot create tracefs instance " + instance + ": " + e.getMessage(), e);
        }
        KernelRecorder recorder = new KernelRecorder(instance, reasons);
        Runtime.getRuntime().addShutdownHook(recorder.shutdownHook);
        try {
            recorder.configure();
            recorder.startReader();
            return recorder;
        } catch (IOException e) {
            recorder.abort();
            throw new CaptureException("cannot set up tracefs instance " + instance + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            recorder.abort(); // a bug: nothing left behind, and the caller sees it as it is
            throw e;
        }
    }

    /**
     * Removes instances {@code pcapunit-<pid>-<n>[-pidns<inode>]} whose JVM is gone (killed with
     * SIGKILL, so its shutdown hook never ran): a forgotten instance keeps tracing and holds a
     * buffer. Tracefs is one for the whole machine, pids are not: an instance is removed only when
     * {@link PidNamespaces#isGone} can tell its JVM is gone (a containerised JVM would otherwise
     * remove the host's live instances, and the reverse).
     */
    static void removeStaleInstances(Path instances) {
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("pcapunit-(\\d{1,18})-\\d+(?:-pidns(\\d+))?");
        try (java.util.stream.Stream<Path> dirs = Files.list(instances)) {
            for (Path dir : dirs.toList()) {
                java.util.regex.Matcher m = name.matcher(dir.getFileName().toString());
                if (m.matches() && PidNamespaces.isGone(Long.parseLong(m.group(1)), m.group(2))) {
                    removeInstanceDir(dir);
                }
            }
        } catch (IOException e) {
            // Best effort: a stale instance is reported by the leftovers checks, never fatal here.
        }
    }

    private static void removeInstanceDir(Path dir) {
        try {
            Files.writeString(dir.resolve("tracing_on"), "0");
            Files.writeString(dir.resolve("events/enable"), "0");
            Files.delete(dir);
        } catch (IOException e) {
            // Busy or already gone.
        }
    }

    /** The instance directory, e.g. /sys/kernel/tracing/instances/pcapunit-4242-1. */
    public Path instance() {
        return instance;
    }

    /** The events recorded so far (a copy). */
    public List<KernelEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * Why the events are incomplete, when the reader thread failed or {@link #stop()} could not
     * drain the trace buffer (one clause naming the exception); empty when recording worked.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Events left unread in the trace buffer when {@link #stop()} stopped waiting ({@link #DRAIN_MILLIS}). */
    public long unread() {
        return unread;
    }

    /** Events the kernel overwrote in its trace buffer before the reader could read them. */
    public long overrun() {
        return overrun;
    }

    /** The sum over CPUs of one counter of {@code per_cpu/cpu<N>/stats} (e.g. "entries"), 0 if unreadable. */
    private long bufferCount(String counter) {
        long sum = 0;
        try (java.util.stream.Stream<Path> cpus = Files.list(instance.resolve("per_cpu"))) {
            for (Path cpu : (Iterable<Path>) cpus::iterator) {
                for (String line : Files.readAllLines(cpu.resolve("stats"))) {
                    if (line.startsWith(counter + ":")) {
                        sum += Long.parseLong(line.substring(counter.length() + 1).strip());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return sum; // counters are an account of loss, never a reason to fail the stop
        }
        return sum;
    }

    /** Events not kept one by one ({@link #MAX_EVENTS}, {@link #MAX_PER_KIND}); see {@link #summaries()}. */
    public int overflow() {
        return overflow.get();
    }

    /** The kernel's drop reason table (name ↔ number) used for the filter. */
    DropReasons reasons() {
        return reasons;
    }

    /**
     * Stops recording, waits for the reader to drain the buffer up to this moment, removes the
     * instance and returns every event recorded. Safe to call twice.
     */
    public List<KernelEvent> stop() {
        if (!stopped) {
            stopped = true;
            try {
                write("events/enable", "0");
                write("trace_marker", stopMarker);
                if (!readerDone.await(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                    // Under a flood the reader lags: stop stays bounded, and what it had not read
                    // yet is counted (tracefs knows how many entries are left, the stop marker
                    // among them), not lost silently.
                    closeReader();
                    unread = Math.max(0, bufferCount("entries") - 1);
                }
                overrun = bufferCount("overrun");
            } catch (IOException e) {
                // The instance is removed below either way; the events read so far stay valid but may lack a tail.
                if (failure == null) {
                    failure = "cannot drain the trace buffer of " + instance + ": " + e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                abort();
            }
        }
        return events();
    }

    /** Same as {@link #stop()}, discarding the events. */
    @Override
    public void close() {
        stop();
    }

    private void configure() throws IOException {
        write("tracing_on", "0");
        write("buffer_size_kb", "1024");
        // mono is CLOCK_MONOTONIC, the clock of System.nanoTime(): one offset converts to wall time.
        write("trace_clock", "mono");
        if (Files.exists(instance.resolve("options/record-tgid"))) {
            write("options/record-tgid", "1");
        }
        String filter = reasons.filter();
        if (!filter.isEmpty()) {
            write("events/skb/kfree_skb/filter", filter);
        }
        for (String event : Tracefs.EVENTS) {
            Path enable = instance.resolve("events").resolve(event).resolve("enable");
            if (Files.exists(enable)) {
                Files.writeString(enable, "1");
            }
        }
        write("tracing_on", "1");
    }

    private void startReader() throws IOException {
        pipe = FileChannel.open(instance.resolve("trace_pipe"), StandardOpenOption.READ);
        reader = new Thread(this::readLoop, "pcapunit-kernel-trace");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(pipe),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.contains(stopMarker)) {
                    return;
                }
                accept(line);
            }
        } catch (IOException e) {
            if (!stopped) {
                failure = "reading " + instance.resolve("trace_pipe") + " failed: " + e;
            } // else closed by abort(): the recorder is stopping
        } catch (RuntimeException e) {
            // A bug in parsing: the recording stops here, and the status says so with the cause.
            failure = "the trace reader stopped on " + e;
            throw e;
        } finally {
            readerDone.countDown();
        }
    }

    /** Takes one line of {@code trace_pipe}: an event is kept, counted in a summary, or (not an event) skipped. */
    void accept(String line) {
        // A drop past the limits is only counted, read without regex or field map: a flood
        // is tens of thousands of kfree_skb a second, and stop() drains the backlog.
        TraceLines.Drop drop = parser.brief(line);
        if (drop != null) {
            String reason = drop.reason();
            if (!reason.isEmpty() && Character.isDigit(reason.charAt(0))) {
                reason = reasons.name(Integer.parseInt(reason));
            }
            List<String> kind = dropKey(reason, drop.location(), drop.protocol(), true);
            if (!mayKeep(kind)) {
                summarize(fine() ? kind : dropKey(reason, "", "", false), drop.epochNanos());
                return;
            }
        }
        parser.parse(line).ifPresent(this::keep);
    }

    private void keep(KernelEvent event) {
        if (event.name().equals("sched_process_exec")) {
            // Only a name source: the kernel prints "<...>" for tasks missing from its global comm cache.
            String file = event.fields().getOrDefault("filename", "");
            commByPid.put(event.pid(), file.substring(file.lastIndexOf('/') + 1));
            return;
        }
        if (event.pid() > 0) {
            // The printed pid is the thread's id and the comm the thread's name ("pool-3-thread-1")
            // or "<...>"; name the process (thread group) instead, with its own id and name, or none.
            Owner owner = ownerOf(event.pid(), event.comm());
            event = new KernelEvent(event.name(), event.time(), event.cpu(), owner.pid(), owner.comm(), event.fields());
        }
        event = withReasonName(event);
        List<String> kind = key(event, true);
        synchronized (events) {
            if (mayKeep(kind)) {
                events.add(event);
                keptPerKind.merge(kind, 1, Integer::sum);
                return;
            }
        }
        summarize(event);
    }

    /** Whether an event of {@code kind} is kept one by one ({@link #MAX_EVENTS}, {@link #MAX_PER_KIND}). */
    private boolean mayKeep(List<String> kind) {
        synchronized (events) {
            return events.size() < MAX_EVENTS && keptPerKind.getOrDefault(kind, 0) < MAX_PER_KIND;
        }
    }

    /** A kfree_skb with its reason as the kernel's name: older kernels print the number. */
    private KernelEvent withReasonName(KernelEvent event) {
        if (event.name().equals("kfree_skb")) {
            String reason = event.field("reason");
            if (!reason.isEmpty() && Character.isDigit(reason.charAt(0))) {
                java.util.Map<String, String> fields = new java.util.LinkedHashMap<>(event.fields());
                fields.put("reason", reasons.name(Integer.parseInt(reason)));
                return new KernelEvent(event.name(), event.time(), event.cpu(), event.pid(), event.comm(), fields);
            }
        }
        return event;
    }

    /** Counts an event past {@link #MAX_EVENTS} under its {@link #key}. */
    private void summarize(KernelEvent event) {
        summarize(key(event, fine()), nanos(event.time()));
    }

    private void summarize(List<String> key, long epochNanos) {
        Instant time = Instant.ofEpochSecond(0, epochNanos);
        synchronized (events) {
            overflow.incrementAndGet();
            KernelSummary summary = summaries.get(key);
            summaries.put(key, summary != null ? summary.plus(time) : KernelSummary.of(example(key, time)));
        }
    }

    /** Whether new summary keys may still hold every key field ({@link #MAX_SUMMARIES}). */
    private boolean fine() {
        synchronized (events) {
            return summaries.size() < MAX_SUMMARIES;
        }
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /**
     * Events over {@link #MAX_EVENTS} or {@link #MAX_PER_KIND}, counted per {@link #key} (event
     * name, reason, location and flow: the fields the event has), in order of their first event;
     * each summary's example has the key's fields.
     *
     * <pre>{@code
     * for (KernelSummary s : recorder.summaries()) {
     *     System.out.println(s.count() + " x " + s.example().name() + " " + s.example().field("reason"));
     * }
     * }</pre>
     */
    public List<KernelSummary> summaries() {
        synchronized (events) {
            return List.copyOf(summaries.values());
        }
    }

    /** Event fields a summary is keyed by, after the event name. */
    static final List<String> KEY_FIELDS = List.of("reason", "location", "protocol", "saddr", "sport", "daddr",
            "dport", "oldstate", "newstate");

    /** The key of {@code e}: name and {@link #KEY_FIELDS}; with {@code fine} false only name and reason. */
    static List<String> key(KernelEvent e, boolean fine) {
        List<String> k = new ArrayList<>(KEY_FIELDS.size() + 1);
        k.add(e.name());
        for (String f : KEY_FIELDS) {
            k.add(fine || f.equals("reason") ? e.field(f) : "");
        }
        return List.copyOf(k);
    }

    /** The key of a kfree_skb read by {@link TraceLines#brief}: the same as {@link #key} of its parsed event. */
    static List<String> dropKey(String reason, String location, String protocol, boolean fine) {
        return fine ? List.of("kfree_skb", reason, location, protocol, "", "", "", "", "", "")
                : List.of("kfree_skb", reason, "", "", "", "", "", "", "", "");
    }

    /** A summary's example for {@code key} at {@code time}: the event name and the key's non-empty fields. */
    private static KernelEvent example(List<String> key, Instant time) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < KEY_FIELDS.size(); i++) {
            if (!key.get(i + 1).isEmpty()) {
                fields.put(KEY_FIELDS.get(i), key.get(i + 1));
            }
        }
        return new KernelEvent(key.get(0), time, -1, -1, "", fields);
    }

    /** The process a thread belongs to: its thread group's id and name ({@link #UNKNOWN}: not known). */
    record Owner(long pid, String comm) {
        /** No process named: pid -1 and no name, as for softirq context ({@link KernelEvent#hasProcess()} false). */
        static final Owner UNKNOWN = new Owner(-1, "");
    }

    /**
     * The process of thread {@code tid} ({@code Tgid} in {@code /proc/<tid>/status}, its name from
     * an exec event or {@code /proc/<tgid>/comm}), asked once per thread. A task already gone when
     * its line is read is named only by an exec event of its id (exec leaves the task its
     * process's only thread, with the process's id); else {@link Owner#UNKNOWN}: the trace printed
     * a thread's name, and its id may be a thread's too (record-tgid prints {@code -------} for a
     * thread it has not mapped yet), so neither tells the process. Outside the initial PID
     * namespace nothing is named: the trace's ids are the initial namespace's, not this /proc's.
     */
    Owner ownerOf(long tid, String printed) {
        if (!PidNamespaces.own().orElse("").equals(PidNamespaces.INITIAL)) {
            return Owner.UNKNOWN;
        }
        return ownerByTid.computeIfAbsent(tid, t -> {
            long tgid = tgidOf(t);
            if (tgid <= 0) {
                String exec = commByPid.get(t);
                return exec != null ? new Owner(t, exec) : Owner.UNKNOWN;
            }
            String exec = commByPid.get(tgid);
            if (exec != null) {
                return new Owner(tgid, exec);
            }
            try {
                return new Owner(tgid, Files.readString(Path.of("/proc", Long.toString(tgid), "comm")).strip());
            } catch (IOException e) {
                return new Owner(tgid, tgid == t ? printed : "");
            }
        });
    }

    /** {@code Tgid} of {@code tid} from {@code /proc/<tid>/status}, or -1 when the thread is gone. */
    static long tgidOf(long tid) {
        try (java.util.stream.Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(tid), "status"))) {
            return lines.filter(l -> l.startsWith("Tgid:")).findFirst()
                    .map(l -> Long.parseLong(l.substring(5).strip())).orElse(-1L);
        } catch (IOException | java.io.UncheckedIOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Stops the reader and removes the instance; used by stop, failed start and the shutdown hook path. */
    private void abort() {
        closeReader();
        removeInstance();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Shutting down: the hook itself is removing the instance.
        }
    }

    /** Closes the pipe, which ends the reader, and waits for it. */
    private void closeReader() {
        stopped = true;
        if (pipe != null) {
            try {
                pipe.close(); // wakes a reader blocked in read()
            } catch (IOException e) {
                // Nothing more to release.
            }
        }
        if (reader != null && Thread.currentThread() != reader) {
            try {
                reader.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void removeInstance() {
        if (!Files.isDirectory(instance)) {
            return;
        }
        try {
            write("tracing_on", "0");
            write("events/enable", "0");
        } catch (IOException e) {
            // rmdir below still removes the instance.
        }
        for (int attempt = 0; attempt < 20 && Files.isDirectory(instance); attempt++) {
            try {
                Files.delete(instance);
            } catch (IOException e) {
                // EBUSY while the pipe is still open: the reader is closing it.
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void write(String file, String value) throws IOException {
        Files.writeString(instance.resolve(file), value);
    }
}
