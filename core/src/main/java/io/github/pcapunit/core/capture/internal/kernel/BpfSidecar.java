package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.EvidenceStatus.SourceStatus;
import io.github.pcapunit.core.capture.internal.CaptureSidecar;
import io.github.pcapunit.core.capture.internal.JournalFields;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Kernel drop records with the dropped packet's own headers, read by the JVM's {@code bpftrace}
 * ({@link BpfRecorder}, shared by all captures) alongside a capture; its status is
 * {@link Source#EBPF_DROPS}. The first capture starts bpftrace, which attaches after a fraction of
 * a second to seconds; later captures find it attached (long-lived captures wait for it first:
 * {@link #awaitAttached(long)}). The status's scope says from when it
 * recorded (the capture's start when bpftrace was warm), and the
 * {@link KernelSidecar} keeps tracefs's (inferred) drop records for the time before and after
 * ({@link #covers(Instant)}). Without bpftrace or BTF the status is {@code UNAVAILABLE}; a bpftrace
 * that fails is {@code FAILED} with its stderr; in both cases the capture goes on with tracefs.
 *
 * <pre>{@code
 * BpfSidecar ebpf = new BpfSidecar();
 * ebpf.start(spec);
 * ... traffic ...
 * List<JournalFields> entries = ebpf.stop();
 * ebpf.status();   // eBPF drop records recorded (bpftrace, observed) from ...: 3 drops
 * }</pre>
 */
public final class BpfSidecar implements CaptureSidecar {

    private final Supplier<Optional<Path>> binary;
    private final Path btf;
    private BpfSubscription recorder;
    /** The JVM's bpftrace that {@link #recorder} subscribes to. */
    private BpfRecorder bpftrace;
    private String scope = "";
    /** The capture filter applied to the drop records (closed with the sidecar). */
    private RecordFilter records = RecordFilter.keepAll("");
    private final Set<KernelEvent> emitted = Collections.newSetFromMap(new IdentityHashMap<>());
    private SourceStatus status = SourceStatus.failed(Source.EBPF_DROPS, "the eBPF drop recorder was not started");
    private boolean stopped;

    /** A sidecar using {@link BpfRecorder#binary()} and the kernel's BTF. */
    public BpfSidecar() {
        this(BpfRecorder::binary, BpfRecorder.BTF);
    }

    /** For tests: another binary (e.g. one that fails) or BTF path. */
    BpfSidecar(Supplier<Optional<Path>> binary, Path btf) {
        this.binary = binary;
        this.btf = btf;
    }

    @Override
    public synchronized void start(CaptureSpec spec) {
        Optional<Path> bin = binary.get();
        Optional<String> reason = BpfRecorder.unavailableReason(bin, btf);
        if (reason.isEmpty() && Tracefs.root().isEmpty()) {
            reason = Optional.of("tracefs is not mounted (bpftrace attaches its tracepoints through it)");
        }
        if (reason.isPresent()) {
            status = SourceStatus.unavailable(Source.EBPF_DROPS, reason.get() + fallback());
            return;
        }
        List<BpfProgram.Ipv4Net> nets = nets(spec);
        NetnsNames names = NetnsNames.system();
        List<Long> netns = netns(spec, names);
        if (!nets.isEmpty()) {
            scope = "IPv4 packets to or from " + nets.stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(", ")) + " (the captured interfaces' networks) and"
                    + " every IPv6 packet";
        } else if (!netns.isEmpty()) {
            scope = "packets dropped in the captured namespaces ("
                    + netns.stream().map(names::name).collect(java.util.stream.Collectors.joining(", ")) + ")";
        }
        try {
            records = RecordFilter.forFilter(spec.filter());
            recorder = BpfRecorder.subscribe(bin.orElseThrow(), new BpfSubscription.Filter(nets, netns, records));
            bpftrace = recorder.recorder();
            status = SourceStatus.recorded(Source.EBPF_DROPS).withScope("attaching");
        } catch (CaptureException e) {
            status = SourceStatus.failed(Source.EBPF_DROPS, e.getMessage() + fallback());
        }
    }

    /**
     * Starts the JVM's bpftrace now, ahead of the first capture, so that capture is covered by eBPF
     * from its first packet (bpftrace takes 0.3 s to seconds to attach); for front-ends that know a
     * capture is coming (e.g. at the start of a test run). Does nothing where eBPF is unavailable;
     * never throws. An unused bpftrace ends after {@link BpfRecorder#idleMillis()}.
     *
     * <pre>{@code
     * BpfSidecar.warmUp();   // at test-plan start
     * }</pre>
     */
    public static void warmUp() {
        Optional<Path> bin = BpfRecorder.binary();
        if (BpfRecorder.unavailableReason(bin, BpfRecorder.BTF).isPresent() || Tracefs.root().isEmpty()) {
            return;
        }
        try {
            BpfRecorder.shared(bin.orElseThrow()).idleFromNow();
        } catch (CaptureException e) {
            // the first capture's status will say why
        }
    }

    /**
     * How long the long-lived captures ({@code SharedCapture}, {@code capture:start}) wait at most
     * for bpftrace to attach before they start: {@value} ms (starting and attaching it took
     * 0.5-0.8 s on 2 vCPUs at load 3, seconds on a more loaded machine; past the bound the capture starts anyway and its status
     * says from when eBPF recorded).
     */
    public static final long ATTACH_WAIT_MILLIS = 2_000;

    /**
     * {@link #warmUp()} and waits until bpftrace has attached, at most {@code maxMillis}, so a
     * capture started next is covered by eBPF from its first packet; for captures that run long
     * (a test run's shared capture, a build's), never for {@code Capture.start()}, which must stay
     * fast. Returns the milliseconds waited, or -1 when eBPF is unavailable or turned off
     * (nothing started, nothing waited for). Never throws: a bpftrace that fails or is late is
     * the capture's status to report.
     *
     * <pre>{@code
     * long waited = BpfSidecar.awaitAttached(BpfSidecar.ATTACH_WAIT_MILLIS);   // then start the capture
     * }</pre>
     */
    public static long awaitAttached(long maxMillis) {
        Optional<Path> bin = BpfRecorder.binary();
        if (BpfRecorder.unavailableReason(bin, BpfRecorder.BTF).isPresent() || Tracefs.root().isEmpty()) {
            return -1;
        }
        long t0 = System.nanoTime();
        try {
            BpfRecorder r = BpfRecorder.shared(bin.orElseThrow());
            r.idleFromNow();
            r.awaitAttached(maxMillis);
        } catch (CaptureException e) {
            // the capture's status will say why
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * The IPv4 networks of the captured interfaces when the capture names interfaces of the JVM's
     * namespace only (no {@code any}, no other namespace or container), each with an IPv4 address;
     * else empty: every drop is recorded.
     */
    static List<BpfProgram.Ipv4Net> nets(CaptureSpec spec) {
        if (!spec.points().isEmpty() || spec.interfaces().isEmpty()) {
            return List.of();
        }
        List<BpfProgram.Ipv4Net> nets = new ArrayList<>();
        try {
            for (String name : spec.interfaces()) {
                NetworkInterface nic = NetworkInterface.getByName(name);
                if (nic == null) {
                    return List.of();
                }
                boolean any = false;
                for (InterfaceAddress a : nic.getInterfaceAddresses()) {
                    if (a.getAddress() instanceof Inet4Address v4) {
                        byte[] b = v4.getAddress();
                        long address = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8)
                                | (b[3] & 0xffL);
                        nets.add(new BpfProgram.Ipv4Net(address, a.getNetworkPrefixLength()));
                        any = true;
                    }
                }
                if (!any) {
                    return List.of();
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        return nets;
    }

    /**
     * The inodes of the captured namespaces when the capture has namespace or container points
     * (and the starting thread's own when it also captures there), the starting thread's own for a
     * capture of {@code lo} only (the JVM's, unless the thread joined another namespace: see
     * {@link #startingThreadNetns}); empty (every namespace: their drops may happen in containers
     * behind a captured bridge) for other captures of the thread's namespace and when a namespace
     * cannot be read. Called on the thread that starts the capture.
     */
    static List<Long> netns(CaptureSpec spec, NetnsNames names) {
        if (spec.points().isEmpty()) {
            if (!spec.interfaces().isEmpty() && spec.interfaces().stream().allMatch("lo"::equals)) {
                // loopback traffic never leaves the starting thread's namespace: its drops happen
                // there, so the kernel need not send other namespaces' drops (a bystander build's)
                long own = startingThreadNetns();
                return own > 0 ? List.of(own) : List.of();
            }
            return List.of();
        }
        List<Long> inodes = new ArrayList<>();
        for (io.github.pcapunit.core.capture.CapturePoint p : spec.points()) {
            Path nsfs;
            if (p.kind() == io.github.pcapunit.core.capture.CapturePoint.Kind.NAMESPACE) {
                nsfs = p.target().contains("/") ? Path.of(p.target()) : Path.of("/run/netns", p.target());
            } else if (p.kind() == io.github.pcapunit.core.capture.CapturePoint.Kind.CONTAINER) {
                Optional<Path> container = containerNetns(p.target());
                if (container.isEmpty()) {
                    return List.of();
                }
                nsfs = container.get();
            } else {
                return List.of();
            }
            long inode = NetnsNames.inode(nsfs);
            if (inode <= 0) {
                return List.of();
            }
            inodes.add(inode);
        }
        if (spec.capturesOwnNamespace()) {
            long own = startingThreadNetns();
            if (own <= 0) {
                return List.of();
            }
            inodes.add(own);
        }
        return inodes;
    }

    /**
     * The inode of the calling thread's network namespace ({@code /proc/thread-self/ns/net}), -1
     * when it cannot be read. A capture of its "own" interfaces is of the namespace of the thread
     * that starts it ({@code Recorder.start} calls {@link #start} on that thread), which is not the
     * JVM's ({@code /proc/self/ns/net}, the main thread's) when the thread joined another namespace
     * (setns, e.g. through {@code NetnsThreads.call}).
     */
    static long startingThreadNetns() {
        return NetnsNames.inode(Path.of("/proc/thread-self/ns/net"));
    }

    /** {@code /proc/<pid>/ns/net} of a running container, asked of the local Docker engine; empty if unknown. */
    private static Optional<Path> containerNetns(String idOrName) {
        try {
            return io.github.pcapunit.core.capture.internal.docker.DockerEngine.local().inspect(idOrName)
                    .filter(c -> c.pid() > 0).map(c -> Path.of("/proc", Long.toString(c.pid()), "ns", "net"));
        } catch (CaptureException e) {
            return Optional.empty();
        }
    }

    private static String fallback() {
        return "; drop records come from tracefs, correlated by time (inferred)";
    }

    /**
     * Whether eBPF recorded the drops at {@code time} (attached before it, not ended before it);
     * while it is still attaching, {@code null}: not known yet.
     */
    public synchronized Boolean covers(Instant time) {
        if (recorder == null) {
            return false;
        }
        Optional<Instant> from = recorder.attachedAt();
        if (from.isEmpty()) {
            return recorder.endedAt().isPresent() ? false : null;
        }
        Optional<Instant> to = recorder.endedAt();
        return !time.isBefore(from.get()) && (to.isEmpty() || !time.isAfter(to.get()));
    }

    /**
     * Waits until bpftrace's output has passed {@code epochNanos} (e.g. a shared capture's slice
     * end), so {@link #collect()} then has the drops of the time before it; at most
     * {@link BpfRecorder#DRAIN_MILLIS}, at once while bpftrace is not attached. bpftrace prints a
     * heartbeat every 50 ms, so a call made 50 ms after that time, or later, waits for nothing.
     */
    public void awaitRecordsUntil(long epochNanos) {
        BpfRecorder r;
        synchronized (this) {
            r = stopped ? null : bpftrace;
        }
        if (r != null) {
            Instant now = Instant.now();
            long behind = (now.getEpochSecond() * 1_000_000_000L + now.getNano()) - epochNanos;
            r.drain(System.nanoTime() - Math.max(0, behind));
        }
    }

    /**
     * How long {@link #collect()} waits at most for bpftrace's output to reach the call: the
     * on-demand heartbeat makes it a millisecond or so when bpftrace gets a CPU; on an overloaded
     * machine (load 15 on 2 vCPUs) bpftrace was not scheduled within 50 ms, so the bound is the
     * stop's ({@link BpfRecorder#DRAIN_MILLIS}).
     */
    static final long COLLECT_DRAIN_MILLIS = BpfRecorder.DRAIN_MILLIS;

    /**
     * The drops recorded up to this call and not handed out yet: it first asks bpftrace for a
     * heartbeat and waits (at most {@value #COLLECT_DRAIN_MILLIS} ms) until its output has passed
     * the call, so a snapshot has the drops of its last milliseconds too.
     */
    @Override
    public synchronized List<JournalFields> collect() {
        if (recorder == null) {
            return List.of();
        }
        if (!stopped && bpftrace != null && bpftrace.filtersInKernel()) {
            bpftrace.drain(System.nanoTime(), COLLECT_DRAIN_MILLIS);
        }
        return entries(recorder.events());
    }

    @Override
    public synchronized List<JournalFields> stop() {
        if (recorder == null || stopped) {
            return List.of();
        }
        stopped = true;
        recorder.stop();
        records.close();
        List<JournalFields> out = entries(recorder.events());
        for (KernelSummary s : recorder.summaries()) {
            if (!s.first().isBefore(recorder.attachedAt().orElse(Instant.MAX))) {
                out.add(new JournalFields(s.first(), KernelJournal.fields(s)));
            }
        }
        status = finalStatus();
        return out;
    }

    private SourceStatus finalStatus() {
        Optional<String> failure = recorder.failure();
        Optional<Instant> from = recorder.attachedAt();
        if (from.isEmpty()) {
            return failure.isPresent() ? SourceStatus.failed(Source.EBPF_DROPS, failure.get() + fallback())
                    : SourceStatus.unavailable(Source.EBPF_DROPS, "bpftrace was still attaching its probes when the"
                            + " capture stopped (attaching takes seconds: it compiles the program and reads the"
                            + " kernel's BTF)" + fallback());
        }
        if (failure.isPresent()) {
            return SourceStatus.failed(Source.EBPF_DROPS, failure.get() + " (it recorded from " + from.get() + " to "
                    + recorder.endedAt().map(Object::toString).orElse("?") + ")" + fallback() + " outside that time");
        }
        String when = "from " + from.get() + " (" + attached() + ") to "
                + recorder.readUntil().map(t -> t + " (its output lagged behind a flood: later drops are missing)")
                        .orElse("stop")
                + (recorder.lost() > 0 ? "; the kernel lost " + recorder.lost() + " drop records bpftrace read too"
                        + " slowly" : "")
                + (recorder.skippedRuns() > 0 ? "; the kernel skipped bpftrace's probes " + recorder.skippedRuns()
                        + " times (it runs no BPF program while another runs on the same CPU): up to "
                        + recorder.skippedRuns() + " drop records are missing" : "")
                + (recorder.unreadableLines() > 0 ? "; " + recorder.unreadableLines() + " lines of bpftrace's output"
                        + " could not be read as records: up to as many drop records are missing" : "");
        String narrowed = narrowing();
        return SourceStatus.recorded(Source.EBPF_DROPS)
                .withScope((scope.isEmpty() ? when : when + ", of " + scope) + narrowed)
                .withCounts(emitted.size(), recorder.overflow())
                .withMissing(recorder.lost() + Math.max(0, recorder.skippedRuns()) + recorder.unreadableLines());
    }

    @Override
    public synchronized SourceStatus status() {
        if (recorder != null && !stopped) {
            Optional<Instant> from = recorder.attachedAt();
            if (recorder.failure().isPresent()) {
                return SourceStatus.failed(Source.EBPF_DROPS, recorder.failure().get() + fallback());
            }
            return SourceStatus.recorded(Source.EBPF_DROPS).withScope(from.map(t -> "from " + t + " ("
                    + attached() + ")").orElse("attaching (bpftrace is compiling its"
                    + " program; until it is attached drop records come from tracefs, inferred)"));
        }
        return status;
    }

    /**
     * What the capture filter left out, e.g. {@code "; narrowed to the capture filter (tcp port
     * 1433): 12 kernel drops outside the filter not listed"}, or why it did not narrow; "" without
     * a filter.
     */
    private String narrowing() {
        if (records.narrows()) {
            long unjudged = recorder.unjudged();
            return "; narrowed to the capture filter (" + records.text() + "): " + recorder.outsideFilter()
                    + " kernel drop" + (recorder.outsideFilter() == 1 ? "" : "s") + " outside the filter not listed"
                    + (unjudged > 0 ? ", " + unjudged + " without addresses or ports listed unfiltered" : "");
        }
        return records.notNarrowed().map(w -> "; not narrowed to the capture filter: " + w).orElse("");
    }

    /** How the start of the recording relates to the capture's: at its start (warm), or N ms after it. */
    private String attached() {
        return recorder.warm() ? "the capture's start: bpftrace was attached already, kept across captures"
                : recorder.attachMillis() + " ms after start; before it, drop records come from tracefs, inferred";
    }

    /**
     * Detaches from the JVM's bpftrace (which stays attached for the next capture until it has been
     * idle for {@link BpfRecorder#idleMillis()}); nothing to wait for.
     */
    @Override
    public synchronized void close() {
        if (recorder != null) {
            recorder.stop();
        }
        records.close();
    }

    /** The subscription, for tests. */
    synchronized Optional<BpfSubscription> recorder() {
        return Optional.ofNullable(recorder);
    }

    /** Entries for the drops recorded since the attachment and not handed out yet. */
    private List<JournalFields> entries(List<KernelEvent> events) {
        Optional<Instant> from = recorder.attachedAt();
        List<JournalFields> out = new ArrayList<>();
        if (from.isEmpty()) {
            return out;
        }
        for (KernelEvent e : events) {
            if (!e.time().isBefore(from.get()) && emitted.add(e)) {
                out.add(new JournalFields(e.time(), KernelJournal.fields(e, null)));
            }
        }
        return out;
    }
}
