package io.github.pcapunit.core.capture.internal.kernel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One capture's share of the JVM's {@link BpfRecorder}: the drops bpftrace read from
 * {@link #from()} on that pass its {@link Filter} (the capture's namespaces and networks - the
 * shared program filters only the union of the running captures' namespaces in the kernel - and
 * the capture's own BPF filter applied to each record's headers, {@link RecordFilter}), kept under
 * the limits below; drops of its namespaces outside the capture filter are counted
 * ({@link #outsideFilter()}), not kept. {@link #stop()} reads bpftrace's output up to its call and
 * detaches; bpftrace keeps running for the next capture.
 *
 * <pre>{@code
 * BpfSubscription s = BpfRecorder.shared(binary).subscribe(new BpfSubscription.Filter(nets, netns));
 * ... traffic ...
 * s.stop();
 * s.events();   // this capture's kfree_skb drops with the packets' own headers
 * }</pre>
 */
final class BpfSubscription {

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

    /**
     * Which drops a capture is about: those in namespaces {@code netns} (empty: any) and, when
     * {@code ipv4Nets} is not empty, IPv4 packets to or from those networks (IPv6 and other packets
     * always); of those, the ones {@code records} (the capture's filter) does not reject.
     */
    record Filter(List<BpfProgram.Ipv4Net> ipv4Nets, List<Long> netns, RecordFilter records) {
        /** Copies the lists. */
        Filter {
            ipv4Nets = List.copyOf(ipv4Nets);
            netns = List.copyOf(netns);
            records = records == null ? RecordFilter.keepAll("") : records;
        }

        /** Namespaces and networks only, not narrowed to a capture filter. */
        Filter(List<BpfProgram.Ipv4Net> ipv4Nets, List<Long> netns) {
            this(ipv4Nets, netns, null);
        }

        /** Whether {@code e} is one of the capture's drops. */
        boolean accepts(KernelEvent e) {
            if (!netns.isEmpty()) {
                String inode = e.field("netns_inode");
                if (inode.isEmpty() || !netns.contains(Long.parseLong(inode))) {
                    return false;
                }
            }
            if (!ipv4Nets.isEmpty() && e.field("protocol").equals("IPv4") && !e.field("saddr").isEmpty()) {
                long s = ipv4(e.field("saddr"));
                long d = ipv4(e.field("daddr"));
                return ipv4Nets.stream().anyMatch(n -> n.contains(s) || n.contains(d));
            }
            return true;
        }

        private static long ipv4(String dotted) {
            String[] p = dotted.split("\\.");
            if (p.length != 4) {
                return -1;
            }
            long a = 0;
            for (String b : p) {
                try {
                    a = (a << 8) | (Integer.parseInt(b) & 0xff);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            return a;
        }
    }

    private final BpfRecorder recorder;
    private final Filter filter;
    private final Instant from;
    private final long startNanos = System.nanoTime();
    private final long lostBefore;
    private final long skipsBefore;
    private final long unreadableBefore;
    /** Set at stop: probe runs the kernel skipped while this subscription ran (-1: unknown). */
    private volatile long skipped = -1;
    /** Set at stop: lines of bpftrace's output not read as a record while this subscription ran. */
    private volatile long unreadable;
    private final Object lock = new Object();
    private final List<KernelEvent> events = new ArrayList<>();
    private final Map<List<String>, Integer> keptPerKind = new HashMap<>();
    private final Map<List<String>, KernelSummary> summaries = new LinkedHashMap<>();
    private long overflow;
    /** Drops of the captured namespaces that the capture filter does not match (not listed). */
    private long outsideFilter;
    /** Drops kept without the capture filter's verdict (no addresses, ports not recorded). */
    private long unjudged;
    private volatile Instant endedAt;
    private volatile Instant readUntil;
    private volatile boolean stopped;

    /**
     * @param lostBefore       the recorder's {@link BpfRecorder#lost()} at the start
     * @param skipsBefore      its {@link BpfRecorder#skippedRuns()} at the start (-1: unknown)
     * @param unreadableBefore its {@link BpfRecorder#unreadableLines()} at the start
     */
    BpfSubscription(BpfRecorder recorder, Filter filter, Instant from, long lostBefore, long skipsBefore,
            long unreadableBefore) {
        this.recorder = recorder;
        this.filter = filter;
        this.from = from;
        this.lostBefore = lostBefore;
        this.skipsBefore = skipsBefore;
        this.unreadableBefore = unreadableBefore;
    }

    /** For tests of the limits: a subscription of no recorder, taking every drop. */
    static BpfSubscription forLimitsTest() {
        return new BpfSubscription(null, new Filter(List.of(), List.of()), Instant.EPOCH, 0, 0, 0);
    }

    /** The JVM's recorder it belongs to (null in limit tests). */
    BpfRecorder recorder() {
        return recorder;
    }

    /** When the subscription started; drops before it belong to other captures. */
    Instant from() {
        return from;
    }

    /** Called by the recorder's reader for every drop it read. */
    void offer(KernelEvent e) {
        if (!stopped && !e.time().isBefore(from) && filter.accepts(e)) {
            RecordFilter.Match m = filter.records().matches(e);
            if (m == RecordFilter.Match.NO_MATCH) {
                synchronized (lock) {
                    outsideFilter++;
                }
                return;
            }
            if (m == RecordFilter.Match.UNKNOWN && filter.records().narrows()) {
                synchronized (lock) {
                    unjudged++;
                }
            }
            keep(e);
        }
    }

    /** The namespaces, networks and capture filter it keeps drops of. */
    Filter filter() {
        return filter;
    }

    /** Drops of the captured namespaces the capture filter does not match: counted, not listed. */
    long outsideFilter() {
        synchronized (lock) {
            return outsideFilter;
        }
    }

    /** Drops kept although the capture filter could not judge them (no addresses, or ports not recorded). */
    long unjudged() {
        synchronized (lock) {
            return unjudged;
        }
    }

    /** When this subscription's drops are recorded from: the later of its start and bpftrace's attachment. */
    Optional<Instant> attachedAt() {
        return recorder.attachedAt().map(t -> t.isBefore(from) ? from : t);
    }

    /** Milliseconds from the subscription to bpftrace's attachment; 0 when it was attached before; -1 while not. */
    long attachMillis() {
        long at = recorder.attachedNanos();
        return at < 0 ? -1 : Math.max(0, (at - startNanos) / 1_000_000);
    }

    /** Whether bpftrace was attached already when this subscription started (a warm recorder). */
    boolean warm() {
        long at = recorder.attachedNanos();
        return at >= 0 && at <= startNanos;
    }

    /** When recording ended for this subscription: its stop, or bpftrace's end; empty while running. */
    Optional<Instant> endedAt() {
        return endedAt != null ? Optional.of(endedAt) : recorder.endedAt();
    }

    /** Why bpftrace stopped recording (with its stderr), or empty. */
    Optional<String> failure() {
        return recorder.failure();
    }

    /** When stop() gave up waiting for bpftrace's output (a flood made it lag), the time it had reached. */
    Optional<Instant> readUntil() {
        return Optional.ofNullable(readUntil);
    }

    /** Drop records the kernel lost while this subscription ran (bpftrace read too slowly; not only this capture's). */
    long lost() {
        return recorder.lost() - lostBefore;
    }

    /**
     * Runs of bpftrace's probes the kernel skipped while this subscription ran (known at its stop;
     * -1 when unknown): up to as many drop records are missing ({@link BpfRecorder#skippedRuns()}).
     */
    long skippedRuns() {
        return skipped;
    }

    /** Lines of bpftrace's output, while this subscription ran, that could not be read as a record (known at stop). */
    long unreadableLines() {
        return unreadable;
    }

    /**
     * Reads bpftrace's output up to this moment (at most {@link BpfRecorder#DRAIN_MILLIS}) and
     * detaches; bpftrace stays for the next capture. Safe to call twice.
     */
    void stop() {
        if (stopped) {
            return;
        }
        if (recorder != null) {
            readUntil = recorder.drain(System.nanoTime()).orElse(null);
            long skipsNow = recorder.skippedRuns();
            skipped = skipsBefore < 0 || skipsNow < 0 ? -1 : skipsNow - skipsBefore;
            unreadable = recorder.unreadableLines() - unreadableBefore;
        }
        if (endedAt == null) {
            endedAt = recorder == null ? Instant.now() : recorder.endedAt().orElse(Instant.now());
        }
        stopped = true;
        if (recorder != null) {
            recorder.unsubscribe(this);
        }
    }

    /** The drops kept one by one so far (a copy). */
    List<KernelEvent> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /** Drops counted, not kept ({@link #MAX_EVENTS}, {@link #MAX_PER_KIND}). */
    long overflow() {
        synchronized (lock) {
            return overflow;
        }
    }

    /** The counted drops per kind, in order of their first. */
    List<KernelSummary> summaries() {
        synchronized (lock) {
            return List.copyOf(summaries.values());
        }
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
            KernelSummary s = summaries.get(key);
            summaries.put(key, s != null ? s.plus(event.time())
                    : KernelSummary.of(key == kind ? event : coarse(event)));
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

    /** {@code e} with only its coarse kind's fields ({@link #kind} without flow), as a summary's example. */
    private static KernelEvent coarse(KernelEvent e) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String k : List.of("source", "reason", "location", "protocol", "hook", "netns_inode", "netns")) {
            if (!e.field(k).isEmpty()) {
                f.put(k, e.field(k));
            }
        }
        return new KernelEvent(e.name(), e.time(), -1, -1, "", f);
    }
}
