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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bpftrace} as a child process with a {@link BpfProgram} and reads its drop records
 * ({@link BpfLines}) on a daemon thread "pcapunit-bpftrace", handing each to the
 * {@link BpfSubscription}s of the captures that run. One recorder per bpftrace binary serves the
 * whole JVM ({@link #shared(Path)}): attaching takes hundreds of milliseconds to seconds (bpftrace
 * compiles the program), so the first capture starts it without waiting (long-lived captures wait
 * for it first, at most {@link BpfSidecar#ATTACH_WAIT_MILLIS}), and later captures find it attached
 * and are covered from their first packet. When no capture has used it for
 * {@link #idleMillis()} it ends (SIGKILL); a shutdown hook ends it when the JVM exits, and should
 * the JVM be killed, bpftrace dies of SIGPIPE at its next heartbeat (every 50 ms).
 *
 * <p>The program prints only the drops of the namespaces the subscriptions watch (every
 * namespace while one of them captures the JVM's own interfaces, none while idle): each
 * subscribe/unsubscribe changes its maps on the running process through
 * {@link BpfProgram.Control} (an {@code lseek} of /dev/null that its probe turns into a map
 * update before the call returns; resent when it reports READY), so a bystander's drop flood in
 * another namespace costs the kernel a map lookup and never reaches bpftrace's reader or the JVM.
 * The kernel filter fails open: it prints every namespace's drops from BEGIN until the JVM has
 * bound the channel (HELLO with the program's nonce, which works from a PID namespace too: the
 * probe learns the JVM's kernel pid from the command) and set the watched namespaces, and again
 * should a command fail; each subscription still keeps only its own namespaces in Java.
 *
 * <pre>{@code
 * BpfSubscription s = BpfRecorder.shared(Path.of("/usr/bin/bpftrace")).subscribe(filter);
 * ... traffic ...
 * s.stop();
 * s.events();   // kfree_skb events with the packets' own headers
 * }</pre>
 */
public final class BpfRecorder {

    /** System property naming the bpftrace binary; an empty value or a missing file turns eBPF off. */
    public static final String PROPERTY = "pcapunit.bpftrace";
    /**
     * System property: milliseconds an unused bpftrace is kept attached for the next capture
     * (default {@value #DEFAULT_IDLE_MILLIS}; 0 ends it with the last capture).
     */
    public static final String IDLE_PROPERTY = "pcapunit.bpftrace.idleMillis";
    static final long DEFAULT_IDLE_MILLIS = 30_000;
    /** The kernel's BTF, which bpftrace needs to read {@code struct sk_buff}. */
    static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
    /** How long a subscription's stop waits for bpftrace's output to pass the moment of the call. */
    static final long DRAIN_MILLIS = 500;
    private static final int STDERR_LINES = 40;
    /** The running recorder per binary; guarded by the class. */
    private static final Map<Path, BpfRecorder> SHARED = new HashMap<>();
    /** The offsets read from the kernel's BTF once per JVM (empty: the program casts). */
    private static Optional<BpfProgram.Offsets> offsets;

    private final Path binary;
    private final Process process;
    /** Whether the program filters namespaces in the kernel and takes commands ({@link BpfProgram.Control}). */
    private final boolean controlled;
    /** The program's control nonce ({@link BpfProgram.Control#HELLO}), 0 without control. */
    private final long nonce;
    /**
     * The file whose seeks carry the commands: opened before bpftrace starts (the program runs
     * without control when it cannot be), closed when it ends; guarded by {@link #watched}.
     */
    private java.io.RandomAccessFile control;
    /** Set when a command failed: the kernel filter was turned off (every drop printed) for good. */
    private volatile boolean filterOff;
    /** Captures per watched namespace inode; guarded by the class (changes) and itself (sending). */
    private final Map<Long, Integer> watched = new HashMap<>();
    /** Captures that watch every namespace; guarded like {@link #watched}. */
    private int watchingAll;
    private final BpfLines lines;
    private final Thread shutdownHook;
    private final long startNanos = System.nanoTime();
    private final Object lock = new Object();
    private final List<BpfSubscription> subscriptions = new CopyOnWriteArrayList<>();
    /** Drop records read from bpftrace (what the kernel let through its filter), for tests and benches. */
    private final java.util.concurrent.atomic.AtomicLong dropsRead = new java.util.concurrent.atomic.AtomicLong();
    private final Deque<String> stderr = new ArrayDeque<>();
    private final Thread reader;
    private final Thread errReader;
    private volatile long attachedMono = -1;
    /**
     * How long after a drop on another CPU bpftrace may still not know that CPU's buffer has it
     * (nanoseconds; system property {@code pcapunit.bpf.cpuWakeupMicros}, default 2000):
     * BpfDrainCrossCpuTest saw records of CPU 1 read 300-1150 us after two heartbeats from CPU 0
     * were (6.18 kernel, HZ 250, 2 CPUs, a CI build running). Measured, not a kernel bound.
     */
    static volatile long cpuWakeupNanos = Long.getLong("pcapunit.bpf.cpuWakeupMicros", 2_000) * 1_000;
    /** The heartbeat (or READY) read before the last one, bpftrace's nsecs; guarded by lock. */
    private long previousHeartbeat = -1;
    private volatile long attachedNanos = -1;
    private volatile Instant endedAt;
    private volatile String failure;
    private volatile boolean stopping;
    /** System.nanoTime() when the last subscription left; -1 while one runs. */
    private volatile long idleSince = -1;

    private BpfRecorder(Path binary, Process process, BpfLines lines, long nonce,
            java.io.RandomAccessFile control) {
        this.binary = binary;
        this.process = process;
        this.controlled = nonce != 0;
        this.nonce = nonce;
        this.control = control;
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

    /** Milliseconds an unused bpftrace is kept ({@value #IDLE_PROPERTY}). */
    static long idleMillis() {
        return Long.getLong(IDLE_PROPERTY, DEFAULT_IDLE_MILLIS);
    }

    /**
     * The JVM's recorder for {@code binary}: the running one, or a new one started now (returns at
     * once, before it has attached). A recorder that failed or ended is replaced.
     *
     * @throws CaptureException when bpftrace cannot be started or the kernel's drop reasons cannot
     *                          be read (nothing is left behind)
     */
    static BpfRecorder shared(Path binary) {
        BpfRecorder[] failed = new BpfRecorder[1];
        try {
            synchronized (BpfRecorder.class) {
                return sharedLocked(binary, failed);
            }
        } finally {
            awaitEnd(failed[0]);
        }
    }

    /**
     * {@link #shared(Path)} under the class lock: a failed recorder still running is taken out of
     * {@link #SHARED} and sent SIGKILL here, so no other caller gets it and only this one starts its
     * replacement; waiting for it to end (up to ~1 s when a child of it holds its output open) is
     * left to the caller, after the lock ({@code failed[0]}, see {@link #awaitEnd}).
     */
    private static BpfRecorder sharedLocked(Path binary, BpfRecorder[] failed) {
        BpfRecorder r = SHARED.get(binary);
        if (r != null && !r.stopping && r.failure == null && r.process.isAlive()) {
            r.idleSince = -1;
            return r;
        }
        if (r != null && r.process.isAlive()) {
            // failed (e.g. its output could not be read) but still attached: it would keep its
            // probes and stop being read until the JVM exits; signal() also closes its control file
            r.signal();
            failed[0] = r;
        }
        DropReasons reasons;
        Path format = Tracefs.root().orElseThrow(() -> new CaptureException("tracefs is not mounted"))
                .resolve("events/skb/kfree_skb/format");
        try {
            reasons = DropReasons.parse(Files.readString(format));
        } catch (IOException e) {
            throw new CaptureException("cannot read the kfree_skb format " + format + ": " + e.getMessage(), e);
        }
        if (offsets == null) {
            try {
                offsets = BpfProgram.Offsets.read(Btf.read(BTF));
            } catch (IOException | RuntimeException e) {
                offsets = Optional.empty(); // the program casts: slower to attach, same records
            }
        }
        NetnsNames names = NetnsNames.system();
        ProcessNames processes = new ProcessNames();
        BpfLines lines = new BpfLines(TraceLines.measureOffset(), reasons::name, names::name, processes::name);
        r = start(binary, BpfProgram.of(reasons, offsets.orElse(null)), lines);
        SHARED.put(binary, r);
        return r;
    }

    /**
     * Ends the JVM's recorders that no capture uses (for tests that check no bpftrace is left,
     * and for callers that want it gone before the idle timeout); returns how many ended.
     */
    public static int closeIdle() {
        List<BpfRecorder> idle = new ArrayList<>();
        synchronized (BpfRecorder.class) {
            for (BpfRecorder r : SHARED.values()) {
                if (r.subscriptions.isEmpty()) {
                    idle.add(r);
                }
            }
            SHARED.values().removeAll(idle);
        }
        idle.forEach(BpfRecorder::kill);
        return idle.size();
    }

    /** Starts bpftrace with {@code program}; returns at once, before it has attached. */
    static BpfRecorder start(Path binary, BpfProgram program, BpfLines lines) {
        java.io.RandomAccessFile control = null;
        if (program.controlled()) {
            try {
                control = new java.io.RandomAccessFile("/dev/null", "r");
            } catch (IOException e) {
                // no channel: print every namespace's drops (the subscriptions filter them in Java)
                program = new BpfProgram(program.excludedReasons(), program.netfilterDrop(), program.offsets(), 0);
            }
        }
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-B", "line", "-e", program.text());
        // room for the socket owners of a busy machine (the default is 4,096 keys)
        pb.environment().put("BPFTRACE_MAP_KEYS_MAX", "65536");
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            closeQuietly(control);
            throw new CaptureException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        BpfRecorder r = new BpfRecorder(binary, process, lines, program.nonce(), control);
        try {
            Runtime.getRuntime().addShutdownHook(r.shutdownHook);
            // stderr's reader first: a bpftrace that exits at once makes the output reader ask for its
            // cause, and join() on a thread not started yet returns at once ("no message on stderr")
            r.errReader.start();
            r.reader.start();
            return r;
        } catch (RuntimeException | Error e) {
            r.kill();
            throw e;
        }
    }

    /**
     * A subscription from now on to the JVM's recorder for {@code binary} (started when none runs)
     * for the drops {@code filter} accepts. Atomic with respect to the idle end: a recorder handed
     * out here is never ended by another capture's stop before it has this subscription (with an
     * idle time of 0 the last capture's stop ended it in that gap).
     *
     * @throws CaptureException as {@link #shared(Path)}
     */
    static BpfSubscription subscribe(Path binary, BpfSubscription.Filter filter) {
        BpfRecorder[] failed = new BpfRecorder[1];
        try {
            synchronized (BpfRecorder.class) {
                return sharedLocked(binary, failed).subscribe(filter);
            }
        } finally {
            awaitEnd(failed[0]);
        }
    }

    /** Waits for a recorder {@link #sharedLocked} signalled to end, outside the class lock. */
    private static void awaitEnd(BpfRecorder failed) {
        if (failed != null) {
            failed.awaitKilled();
        }
    }

    /**
     * A subscription from now on for the drops {@code filter} accepts; the program's namespace
     * filter in the kernel is widened to them before it returns (when attached; else on attaching).
     */
    BpfSubscription subscribe(BpfSubscription.Filter filter) {
        long skipsBefore = skippedRuns(); // a few /proc reads: outside the locks
        synchronized (BpfRecorder.class) {
            idleSince = -1;
            // the kernel prints the new namespaces from the command on: the subscription's time
            // starts after it. Under the lock the reader parses lines under, so a drop read after
            // that time is offered to the subscription (it is in the list before the next line).
            synchronized (lock) {
                watch(filter, +1);
                BpfSubscription s = new BpfSubscription(this, filter, Instant.now(), lines.lost(), skipsBefore,
                        lines.skipped());
                subscriptions.add(s);
                return s;
            }
        }
    }

    /** Counts {@code filter}'s namespaces in or out ({@code delta} +1/-1) and tells the program what changed. */
    private void watch(BpfSubscription.Filter filter, int delta) {
        if (!controlled) {
            return;
        }
        synchronized (watched) {
            if (filter.netns().isEmpty()) {
                int before = watchingAll;
                watchingAll = Math.max(0, watchingAll + delta);
                if ((before == 0) != (watchingAll == 0)) {
                    send(BpfProgram.Control.ALL, watchingAll > 0 ? 1 : 0);
                }
                return;
            }
            for (long inode : new java.util.LinkedHashSet<>(filter.netns())) {
                int before = watched.getOrDefault(inode, 0);
                int after = Math.max(0, before + delta);
                if (after == 0) {
                    watched.remove(inode);
                } else {
                    watched.put(inode, after);
                }
                if ((before == 0) != (after == 0)) {
                    send(after > 0 ? BpfProgram.Control.WATCH : BpfProgram.Control.UNWATCH, inode);
                }
            }
        }
    }

    /**
     * Binds the channel and sends the whole filter, then turns the kernel filter on: commands sent
     * before the probes were attached were not seen, and until {@code FILTER 1} the program prints
     * every namespace's drops (so none is lost between READY and here).
     */
    private void resendWatches() {
        if (!controlled) {
            return;
        }
        synchronized (watched) {
            send(BpfProgram.Control.HELLO, nonce);
            send(BpfProgram.Control.ALL, watchingAll > 0 ? 1 : 0);
            for (long inode : watched.keySet()) {
                send(BpfProgram.Control.WATCH, inode);
            }
            send(BpfProgram.Control.FILTER, 1);
        }
    }

    /**
     * Carries out one command on the running program: seeks /dev/null to its offset; the program's
     * probe on {@code lseek} runs at the syscall's entry, before it returns. Fails open: when a seek
     * fails, the namespace filter is turned off ({@code FILTER 0}) and stays off (every drop is
     * printed, as without control; the subscriptions filter in Java) rather than lose drops; the
     * recorder keeps recording. The probe runs before the kernel looks at the file, so a seek that
     * fails was still seen, the {@code FILTER 0} too.
     */
    private void send(int op, long value) {
        synchronized (watched) {
            if (stopping || control == null || (filterOff && op == BpfProgram.Control.FILTER && value != 0)) {
                return;
            }
            try {
                control.seek(BpfProgram.Control.offset(op, value));
            } catch (IOException e) {
                if (op == BpfProgram.Control.HEARTBEAT || filterOff) {
                    return; // no filter change lost: the periodic heartbeat comes within 50 ms
                }
                filterOff = true;
                try {
                    control.seek(BpfProgram.Control.offset(BpfProgram.Control.FILTER, 0));
                } catch (IOException again) {
                    // seen all the same (the probe ran at the syscall's entry)
                }
            }
        }
    }

    /** Whether a failed command turned the kernel's namespace filter off for good (for tests). */
    boolean filterTurnedOff() {
        return filterOff;
    }

    /** Closes the control file (bpftrace ended); guarded by {@link #watched}. */
    private void closeControl() {
        synchronized (watched) {
            closeQuietly(control);
            control = null;
        }
    }

    private static void closeQuietly(java.io.RandomAccessFile f) {
        if (f != null) {
            try {
                f.close();
            } catch (IOException e) {
                // nothing to release
            }
        }
    }

    /** Tests: sees every drop record read (what the kernel let through), on the reader thread; null: none. */
    private volatile java.util.function.Consumer<KernelEvent> tap;

    /** Tests: hands every drop record read from now on to {@code t} (null: stop). */
    void tap(java.util.function.Consumer<KernelEvent> t) {
        tap = t;
    }

    /** Drop records read from bpftrace so far: those the kernel's namespace filter let through. */
    long dropsRead() {
        return dropsRead.get();
    }

    /** Whether the program filters namespaces in the kernel (for tests and the status). */
    boolean filtersInKernel() {
        return controlled;
    }

    /** Starts the idle timeout unless a subscription runs (a recorder started ahead of any capture). */
    void idleFromNow() {
        synchronized (BpfRecorder.class) {
            if (subscriptions.isEmpty()) {
                idleSince = System.nanoTime();
            }
        }
    }

    /** Detaches {@code s} and narrows the kernel's namespace filter; the last one starts the idle timeout. */
    void unsubscribe(BpfSubscription s) {
        boolean endNow = false;
        synchronized (BpfRecorder.class) {
            if (subscriptions.remove(s)) {
                watch(s.filter(), -1);
            }
            if (subscriptions.isEmpty()) {
                idleSince = System.nanoTime();
                endNow = idleMillis() <= 0;
            }
        }
        if (endNow) {
            endIfIdle();
        }
    }

    /** Ends bpftrace when no subscription came back within the idle time (called on each heartbeat). */
    private void endIfIdle() {
        long since = idleSince;
        if (since < 0 || System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(idleMillis())) {
            return;
        }
        synchronized (BpfRecorder.class) {
            if (!subscriptions.isEmpty() || idleSince < 0) {
                return;
            }
            SHARED.remove(binary, this);
            stopping = true;
        }
        // off the reader thread: kill() joins the reader
        Thread t = new Thread(this::kill, "pcapunit-bpftrace-idle-end");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits until bpftrace has attached its probes, at most {@code millis}; returns at once when it
     * has attached, failed or ended. Whether it is attached.
     */
    boolean awaitAttached(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lock) {
            // the reader notifies on the READY line, on each heartbeat and when the output ends
            while (attachedMono < 0 && failure == null && !stopping && process.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return attachedMono >= 0 && failure == null;
    }

    /** System.nanoTime() of the attachment, -1 while attaching. */
    long attachedNanos() {
        return attachedNanos;
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

    /** When bpftrace ended (idle, failed, the JVM's exit); empty while running. */
    public Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    /** Why bpftrace stopped recording on its own (with its stderr), or empty. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The process, for tests (is it gone after stop?). */
    ProcessHandle process() {
        return process.toHandle();
    }

    /**
     * Waits until bpftrace's output has passed {@code untilNanos} (System.nanoTime(), which is
     * bpftrace's clock), at most {@link #DRAIN_MILLIS}; when it gave up (a flood made bpftrace lag),
     * the time the output had reached.
     */
    Optional<Instant> drain(long untilNanos) {
        if (attachedMono < 0) {
            return Optional.empty();
        }
        return drain(untilNanos, DRAIN_MILLIS);
    }

    /**
     * {@link #drain(long)} waiting at most {@code maxMillis}. With the control channel it asks for a
     * heartbeat now, so it waits for bpftrace's reader (a millisecond or so when it keeps up), not
     * for the next 50 ms heartbeat.
     * <p>
     * One heartbeat past {@code untilNanos} is not enough: bpftrace reads one perf buffer per CPU,
     * only those the kernel has told it have records, and that news of a drop on another CPU came
     * 300-1150 us late here, after a heartbeat from this thread's CPU was read (BpfDrainCrossCpuTest,
     * 20 drops from a thread on CPU 1, drain() at once from CPU 0: 9 and 13 of 500 rounds returned
     * before drops stamped before untilNanos were read; waiting for a second heartbeat written right
     * after the first was read still missed 3 and 7 of 200). So it then waits for a heartbeat stamped
     * {@link #cpuWakeupNanos} (2 ms) after {@code untilNanos}, and after the first was read: 0 of
     * 500, twice. A drain of a time 2 ms or more in the past whose last two heartbeats were after
     * that costs nothing more; one of now costs 2 ms more.
     */
    Optional<Instant> drain(long untilNanos, long maxMillis) {
        if (attachedMono < 0) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        if (!awaitHeartbeat(untilNanos, deadline)) {
            synchronized (lock) {
                return failure == null ? Optional.of(lines.wall(lines.lastMono())) : Optional.empty();
            }
        }
        long second = Math.max(System.nanoTime(), untilNanos + cpuWakeupNanos);
        synchronized (lock) {
            if (previousHeartbeat >= untilNanos + cpuWakeupNanos) {
                return Optional.empty(); // two heartbeats past the time were read: the second is the one
            }
        }
        long wait = second - System.nanoTime();
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        if (!awaitHeartbeat(second, deadline)) {
            synchronized (lock) {
                // the other CPUs' records up to untilNanos may be unread: reached it on this CPU only
                return failure == null ? Optional.of(lines.wall(Math.min(untilNanos, lines.lastMono())))
                        : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Waits until a heartbeat at or after {@code mono} was read (asking for one with the control
     * channel), at most until {@code deadline}; whether it was read, or bpftrace ended or failed.
     */
    private boolean awaitHeartbeat(long mono, long deadline) {
        if (controlled && lines.lastMono() < mono && System.nanoTime() >= mono) {
            send(BpfProgram.Control.HEARTBEAT, 0);
        }
        synchronized (lock) {
            while (lines.lastMono() < mono && process.isAlive() && failure == null) {
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
            return lines.lastMono() >= mono || failure != null || !process.isAlive();
        }
    }

    /** The wall-clock instant of a System.nanoTime() value as this recorder converts bpftrace's nsecs (tests). */
    Instant wall(long mono) {
        synchronized (lock) {
            return lines.wall(mono);
        }
    }

    /**
     * Times the kernel did not run one of bpftrace's programs since it loaded them, the sum of
     * their {@code recursion_misses} ({@code /proc/<bpftrace>/fdinfo}); -1 when that cannot be
     * read. The kernel runs no tracepoint or perf-event BPF program while another runs on the same
     * CPU ({@code trace_call_bpf} counts it as a miss and returns): a drop in a softirq that
     * interrupted one of the probes on that CPU leaves no record. An upper bound on the drop
     * records missing for that reason (a skipped heartbeat or socket-owner probe counts too).
     */
    long skippedRuns() {
        java.nio.file.Path fdinfo = java.nio.file.Path.of("/proc", Long.toString(process.pid()), "fdinfo");
        long sum = 0;
        boolean any = false;
        try (java.util.stream.Stream<Path> fds = Files.list(fdinfo)) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String text;
                try {
                    text = Files.readString(fd);
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (!text.contains("prog_type:")) {
                    continue;
                }
                int at = text.indexOf("recursion_misses:");
                if (at < 0) {
                    return -1; // a kernel that does not count them
                }
                int end = text.indexOf('\n', at);
                sum += Long.parseLong(text.substring(at + "recursion_misses:".length(), end < 0 ? text.length() : end)
                        .strip());
                any = true;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return any ? sum : -1;
    }

    /** Lines of bpftrace's output that were neither a record nor its banner (a garbled record among them). */
    long unreadableLines() {
        synchronized (lock) {
            return lines.skipped();
        }
    }

    /** Drop records the kernel lost because bpftrace read its buffer too slowly. */
    public long lost() {
        synchronized (lock) {
            return lines.lost();
        }
    }

    /**
     * Ends the process and the reader threads; never throws. SIGKILL: its output up to the stop
     * was read, and its END block has nothing to give (SIGTERM let it detach and free its maps
     * itself, which added 350-400 ms to stop(); the kernel frees them as fast when it exits).
     */
    private void kill() {
        signal();
        awaitKilled();
    }

    /** The non-blocking part of {@link #kill()}: out of {@link #SHARED}, stopping, SIGKILL sent. */
    private void signal() {
        synchronized (BpfRecorder.class) {
            SHARED.remove(binary, this);
        }
        stopping = true;
        if (endedAt == null) {
            endedAt = Instant.now();
        }
        process.destroyForcibly();
        closeControl();
    }

    /** The blocking part of {@link #kill()}: waits for the process and the reader threads to end. */
    private void awaitKilled() {
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
                    long before = lines.lastMono();
                    kind = lines.accept(line);
                    if (kind == BpfLines.Kind.READY || kind == BpfLines.Kind.HEARTBEAT) {
                        previousHeartbeat = before;
                    }
                }
                if (kind == BpfLines.Kind.READY) {
                    // the probes are attached (BEGIN runs after them): commands from now on are seen
                    resendWatches();
                    attachedNanos = System.nanoTime();
                    attachedMono = lines.lastMono();
                } else if (kind == BpfLines.Kind.DROP) {
                    dropsRead.incrementAndGet();
                    KernelEvent e = lines.last();
                    java.util.function.Consumer<KernelEvent> t = tap;
                    if (t != null) {
                        t.accept(e);
                    }
                    for (BpfSubscription s : subscriptions) {
                        s.offer(e);
                    }
                } else if (kind == BpfLines.Kind.HEARTBEAT) {
                    endIfIdle();
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
            closeControl(); // bpftrace ended (failed or killed): no more commands
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
