package io.github.pcapunit.core.capture.internal.kernel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns recorded kernel events into drop records. {@code kfree_skb} has no addresses, so a drop
 * is attributed to the TCP transmission (a connect's SYN_SENT transition or a retransmission) that
 * ran on the same CPU within {@link #WINDOW} of it — the kernel frees a packet a netfilter hook
 * dropped synchronously, in the sender's context — and, for {@code NO_SOCKET}, to the reset the
 * kernel sent for it. A connect that stayed in SYN_SENT, was retried and met NETFILTER_DROP at each
 * transmission becomes one record with every drop instant. Drops that match nothing stay records
 * of their own, without a flow — among them, at times, a connect's first SYN that had to wait for
 * neighbour resolution (ARP/NDP): it leaves later, from softirq, possibly on another CPU, so it is
 * not attributed (tying it by time alone could pin another process's drop on the connect).
 * A record names a process only when a connect's SYN_SENT transition (which runs in the
 * connect() call) ties it to one; never the task that happened to run when the packet was freed.
 * Every record is inferred: {@link BpfSidecar}'s eBPF records, which read the packet, replace
 * them where bpftrace runs.
 */
public final class KernelDrops {

    /** How far apart a drop and its transmission may be on one CPU. */
    static final Duration WINDOW = Duration.ofMillis(2);
    /**
     * How much later than an eBPF drop a connect with the packet's own source port may be stamped
     * and still be its connect: the two recorders' wall-clock offsets drift apart while the JVM's
     * bpftrace runs (an NTP slew of 50 ppm makes 1 s in 5.5 hours); a connect to the same four
     * addresses and ports by another process within it would need the port reused at once.
     */
    static final Duration CLOCK_SLACK = Duration.ofSeconds(1);

    private KernelDrops() {
    }

    /** The drop records of {@code events} (any order), in order of their first drop. */
    public static List<KernelDrop> correlate(List<KernelEvent> events) {
        return distinct(attribute(events));
    }

    /** The records of {@code attributed} once each, in order; by identity (a record's times list can be long). */
    static List<KernelDrop> distinct(List<Attributed> attributed) {
        java.util.Set<KernelDrop> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<KernelDrop> out = new ArrayList<>();
        for (Attributed a : attributed) {
            if (seen.add(a.drop())) {
                out.add(a.drop());
            }
        }
        return out;
    }

    /** A {@code kfree_skb} event and the drop record it belongs to (several events share one). */
    public record Attributed(KernelEvent event, KernelDrop drop) {
    }

    /** Each {@code kfree_skb} event of {@code events} with its drop record, in time order. */
    public static List<Attributed> attribute(List<KernelEvent> events) {
        List<KernelEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(KernelEvent::time));
        Map<List<Object>, List<Attempt>> attempts = attempts(sorted);
        Map<Integer, List<KernelEvent>> candidatesByCpu = new HashMap<>();
        for (KernelEvent e : sorted) {
            if (isTransmission(e) || e.name().equals("tcp_send_reset")) {
                candidatesByCpu.computeIfAbsent(e.cpu(), c -> new ArrayList<>()).add(e);
            }
        }
        Map<List<Object>, Builder> records = new LinkedHashMap<>();
        List<KernelEvent> drops = new ArrayList<>();
        List<List<Object>> keys = new ArrayList<>();
        for (KernelEvent drop : sorted) {
            if (!drop.name().equals("kfree_skb")) {
                continue;
            }
            Builder record = attribute(drop, candidatesByCpu.getOrDefault(drop.cpu(), List.of()), attempts);
            records.merge(record.key(), record, Builder::merge);
            drops.add(drop);
            keys.add(record.key());
        }
        Map<List<Object>, KernelDrop> built = new LinkedHashMap<>();
        records.forEach((key, builder) -> built.put(key, builder.build()));
        List<Attributed> result = new ArrayList<>();
        for (int i = 0; i < drops.size(); i++) {
            result.add(new Attributed(drops.get(i), built.get(keys.get(i))));
        }
        return result;
    }

    private static Builder attribute(KernelEvent drop, List<KernelEvent> candidates, Map<List<Object>, List<Attempt>> attempts) {
        // kernels before 5.17 name no reason: say so in the kernel's own words, not "reason , ..."
        String reason = drop.field("reason").isEmpty() ? "NOT_SPECIFIED" : drop.field("reason");
        String location = drop.field("location");
        String component = Components.of(location, reason);
        KernelEvent match = null;
        long best = Long.MAX_VALUE;
        // candidates: this CPU's transmissions and resets in time order; look only inside the window.
        int i = firstAtOrAfter(candidates, drop.time().minus(WINDOW));
        for (; i < candidates.size(); i++) {
            KernelEvent e = candidates.get(i);
            long signed = Duration.between(drop.time(), e.time()).toNanos();
            if (signed > WINDOW.toNanos()) {
                break;
            }
            if (e.name().equals("tcp_send_reset") && !"NO_SOCKET".equals(reason)) {
                continue;
            }
            long gap = Math.abs(signed);
            if (gap >= best) {
                continue;
            }
            if (drop.hasProcess() && e.hasProcess() && drop.pid() != e.pid()) {
                continue;
            }
            best = gap;
            match = e;
        }
        if (match == null) {
            // The running task is not the packet's owner (softirq and timers run under whatever
            // task is current): an untied drop names no process.
            return new Builder(reason, location, component, drop.field("protocol"), "", -1, "", -1, "", "", -1,
                    drop.time());
        }
        if (match.name().equals("tcp_send_reset")) {
            // The reset goes server → client; the packet dropped was the client's, the other way.
            return new Builder(reason, location, component, "TCP", match.field("daddr"), match.intField("dport"),
                    match.field("saddr"), match.intField("sport"), "", "", -1, drop.time());
        }
        Attempt attempt = attemptOf(match, attempts);
        String flags = "TCP_SYN_SENT".equals(match.field("newstate")) ? "SYN" : "";
        int sport = match.intField("sport") > 0 ? match.intField("sport") : attempt == null ? -1 : attempt.sport;
        // The connect's SYN_SENT transition runs in the connect() call, its task owns the socket; a
        // retransmission runs from a timer under whatever task is current, so it names none.
        boolean connectCall = match.name().equals("inet_sock_set_state");
        String process = attempt != null ? attempt.comm : connectCall && match.hasProcess() ? match.comm() : "";
        long pid = attempt != null ? attempt.pid : connectCall && match.hasProcess() ? match.pid() : -1;
        return new Builder(reason, location, component, "TCP", match.field("saddr"), sport, match.field("daddr"),
                match.intField("dport"), flags, process, pid, drop.time());
    }

    private static boolean isTransmission(KernelEvent e) {
        return e.name().equals("tcp_retransmit_skb")
                || (e.name().equals("inet_sock_set_state") && "TCP_SYN_SENT".equals(e.field("newstate"))
                        && !"TCP_SYN_SENT".equals(e.field("oldstate")));
    }

    private static int firstAtOrAfter(List<KernelEvent> events, Instant time) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).time().isBefore(time)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static List<Object> flowKey(KernelEvent e) {
        return List.of(e.field("saddr"), e.field("daddr"), e.intField("dport"));
    }

    /** Connect attempts by (saddr, daddr, dport): SYN_SENT transitions (sport still 0) completed by later events. */
    private static Map<List<Object>, List<Attempt>> attempts(List<KernelEvent> sorted) {
        Map<List<Object>, List<Attempt>> attempts = new HashMap<>();
        Map<List<Object>, ArrayDeque<Attempt>> unbound = new HashMap<>();
        for (KernelEvent e : sorted) {
            if (!e.fields().containsKey("dport")) {
                continue;
            }
            List<Object> key = flowKey(e);
            if (e.name().equals("inet_sock_set_state") && "TCP_SYN_SENT".equals(e.field("newstate"))
                    && !"TCP_SYN_SENT".equals(e.field("oldstate"))) {
                Attempt a = new Attempt(e, e.intField("sport"), e.comm(), e.hasProcess() ? e.pid() : -1);
                attempts.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
                if (a.sport <= 0) {
                    unbound.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(a);
                }
            } else if (e.intField("sport") > 0) {
                ArrayDeque<Attempt> waiting = unbound.get(key);
                if (waiting != null && !waiting.isEmpty()) {
                    // with several connects to the same place still unbound, the port may be another's,
                    // and so may those the others get later
                    if (waiting.size() > 1) {
                        waiting.forEach(w -> w.sportShared = true);
                    }
                    waiting.pollLast().sport = e.intField("sport");
                }
            }
        }
        return attempts;
    }

    private static Attempt attemptOf(KernelEvent transmission, Map<List<Object>, List<Attempt>> attempts) {
        List<Attempt> sameFlow = attempts.getOrDefault(flowKey(transmission), List.of());
        int sport = transmission.intField("sport");
        for (int i = sameFlow.size() - 1; i >= 0; i--) {
            Attempt a = sameFlow.get(i);
            if (a.start == transmission) {
                return a;
            }
            if (!a.start.time().isAfter(transmission.time()) && (sport <= 0 || a.sport <= 0 || a.sport == sport)) {
                return a;
            }
        }
        return null;
    }

    /**
     * The records of {@code drops}, each eBPF record of a flow that names no process (the packet had
     * no socket where it was dropped, e.g. a SYN on the receiver's INPUT) tied to the process that
     * {@code connect()}ed that flow, when the tracefs {@code events} show exactly one: every
     * connect (a SYN_SENT transition, which runs in the connect() call) from the record's source
     * address to its destination address and port, before its first drop ({@link #CLOCK_SLACK}
     * after it for a connect whose source port is known to be the packet's), with its source port
     * when both are known, was made by the same process. Several processes, none, or a connect
     * whose task is softirq or timer context (not the owner) tie it to nobody. A packet other than
     * a SYN needs its connect's source port known and equal: a connection opened before the
     * journal began could share the addresses. Other records are returned as they are.
     *
     * <pre>{@code
     * List<KernelDrop> tied = KernelDrops.tieToConnects(ebpfDrops, tracefsEvents);
     * }</pre>
     */
    public static List<KernelDrop> tieToConnects(List<KernelDrop> drops, List<KernelEvent> events) {
        boolean any = false;
        for (KernelDrop d : drops) {
            any |= untied(d);
        }
        if (!any) {
            return drops;
        }
        List<KernelEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(KernelEvent::time));
        Map<List<Object>, List<Attempt>> byPlace = new HashMap<>();
        for (List<Attempt> same : attempts(sorted).values()) {
            for (Attempt a : same) {
                List<Object> key = place(a.start.field("saddr"), a.start.field("daddr"), a.start.intField("dport"));
                if (key != null) {
                    byPlace.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
                }
            }
        }
        List<KernelDrop> out = new ArrayList<>(drops.size());
        for (KernelDrop d : drops) {
            Attempt only = untied(d) ? onlyConnector(d, byPlace) : null;
            out.add(only == null ? d : d.connectedBy(only.comm, only.pid));
        }
        return out;
    }

    /** An eBPF record of a TCP flow with a destination port that names no process. */
    private static boolean untied(KernelDrop d) {
        return d.observed() && d.processName().isEmpty() && d.hasFlow() && "TCP".equals(d.protocol()) && d.dport() > 0
                && !d.times().isEmpty();
    }

    /** The connect that alone opened {@code d}'s flow before it, or null (none, or several processes). */
    private static Attempt onlyConnector(KernelDrop d, Map<List<Object>, List<Attempt>> byPlace) {
        List<Object> key = place(d.saddr(), d.daddr(), d.dport());
        if (key == null) {
            return null;
        }
        boolean syn = d.tcpFlags().contains("SYN") && !d.tcpFlags().contains("ACK");
        Instant first = d.times().get(0);
        Attempt only = null;
        for (Attempt a : byPlace.getOrDefault(key, List.of())) {
            boolean sportKnown = a.sport > 0 && !a.sportShared;
            // both ports known: they must be equal; otherwise only a SYN (the connect's own first
            // packet) can be tied to it
            if (d.sport() > 0 && sportKnown ? a.sport != d.sport() : !syn) {
                continue;
            }
            // a connect after the drop did not send it; one whose own source port is the packet's may
            // be stamped up to CLOCK_SLACK late (eBPF and tracefs convert the monotonic clock to
            // wall time each with its own offset, measured at different times)
            boolean samePort = sportKnown && a.sport == d.sport();
            if (!a.start.time().isBefore(samePort ? first.plus(CLOCK_SLACK) : first)) {
                continue;
            }
            if (a.pid <= 0 || (only != null && only.pid != a.pid)) {
                return null; // softirq/timer context names no owner; two processes are not one
            }
            only = only == null ? a : only;
        }
        return only;
    }

    /** (source address, destination address, destination port), addresses parsed; null when not addresses. */
    private static List<Object> place(String saddr, String daddr, int dport) {
        try {
            return List.of(io.github.pcapunit.core.packet.Endpoint.of(saddr, 0).address(),
                    io.github.pcapunit.core.packet.Endpoint.of(daddr, 0).address(), dport);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static final class Attempt {
        final KernelEvent start;
        int sport;
        /** Whether {@link #sport} came, or may come, while other connects to the same place waited for theirs. */
        boolean sportShared;
        final String comm;
        final long pid;

        Attempt(KernelEvent start, int sport, String comm, long pid) {
            this.start = start;
            this.sport = sport;
            this.comm = comm;
            this.pid = pid;
        }
    }

    private static final class Builder {
        final String reason;
        final String location;
        final String component;
        final String protocol;
        final String saddr;
        final int sport;
        final String daddr;
        final int dport;
        String flags;
        final String process;
        final long pid;
        final List<Instant> times = new ArrayList<>();

        Builder(String reason, String location, String component, String protocol, String saddr, int sport,
                String daddr, int dport, String flags, String process, long pid, Instant time) {
            this.reason = reason;
            this.location = location;
            this.component = component;
            this.protocol = protocol;
            this.saddr = saddr;
            this.sport = sport;
            this.daddr = daddr;
            this.dport = dport;
            this.flags = flags;
            this.process = process;
            this.pid = pid;
            times.add(time);
        }

        List<Object> key() {
            // Flow drops group by flow; unattributed ones by what dropped them and for whom.
            return saddr.isEmpty()
                    ? List.of(reason, location, protocol, process, pid)
                    : List.of(reason, location, saddr, sport, daddr, dport);
        }

        Builder merge(Builder later) {
            times.addAll(later.times);
            if (flags.isEmpty() || Objects.equals(flags, later.flags)) {
                flags = flags.isEmpty() ? later.flags : flags;
            }
            return this;
        }

        KernelDrop build() {
            return new KernelDrop(reason, location, component, protocol, saddr, sport, daddr, dport, flags, process,
                    pid, times);
        }
    }
}
