package io.github.pcapunit.core.analysis;

import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Evidence that packets were lost or refused: what kind, on which flow, when, which captured
 * frames show it, and where the evidence comes from (the wire, the kernel, the firewall, the
 * capture itself). Immutable; build one with {@link #builder(DropKind, EvidenceSource)}.
 *
 * <p>Wire evidence fills kind, flow, frames, times and description. Kernel and firewall
 * evidence add a {@link #reason()} ({@code NETFILTER_DROP}), a {@link #component()}
 * ({@code netfilter (nftables)}), a {@link #location()} ({@code nft_do_chain}), the process and
 * the {@link FirewallRule}.
 *
 * <pre>{@code
 * Drop d = Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.KERNEL)
 *         .flow(Flow.of(IpProtocol.TCP, Endpoint.of("10.0.1.10", 50122), Endpoint.of("10.0.1.20", 1433)))
 *         .reason("NETFILTER_DROP").component("netfilter (nftables)").location("nft_do_chain")
 *         .process("java", 4242).time(Instant.now())
 *         .description("TCP SYN dropped by netfilter")
 *         .build();
 * }</pre>
 */
public final class Drop {

    private final DropKind kind;
    private final EvidenceSource source;
    private final Flow flow;
    private final String reason;
    private final Integer icmpType;
    private final Integer icmpCode;
    private final String component;
    private final String location;
    private final String processName;
    private final Long pid;
    private final FirewallRule rule;
    private final String namespace;
    private final String hook;
    private final Integer ttl;
    private final Confidence confidence;
    private final String recordedBy;
    private final List<Long> frames;
    private final List<Instant> times;
    private final String description;
    private final long count;

    private Drop(Builder b) {
        this.kind = b.kind;
        this.source = b.source;
        this.flow = b.flow;
        this.reason = b.reason;
        this.icmpType = b.icmpType;
        this.icmpCode = b.icmpCode;
        this.component = b.component;
        this.location = b.location;
        this.processName = b.processName;
        this.pid = b.pid;
        this.rule = b.rule;
        this.namespace = b.namespace;
        this.hook = b.hook;
        this.ttl = b.ttl;
        this.confidence = b.confidence;
        this.recordedBy = b.recordedBy;
        this.frames = Collections.unmodifiableList(new ArrayList<>(b.frames));
        List<Instant> t = new ArrayList<>(b.times);
        Collections.sort(t);
        this.times = Collections.unmodifiableList(t);
        this.description = b.description != null ? b.description : defaultDescription();
        this.count = b.count > 0 ? b.count : Math.max(1, times.size());
        if (count < times.size()) {
            throw new IllegalArgumentException("count(" + count + ") is below the " + times.size()
                    + " instants of this drop; give each dropped packet's instant at most once, or a count of at least "
                    + times.size());
        }
    }

    /**
     * A builder for a drop of {@code kind} shown by {@code source}.
     *
     * <pre>{@code Drop.builder(DropKind.REFUSED, EvidenceSource.WIRE).flow(f).frame(7).time(t).build();}</pre>
     */
    public static Builder builder(DropKind kind, EvidenceSource source) {
        return new Builder(kind, source);
    }

    /** A builder pre-filled with this drop's values. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, source);
        b.flow = flow;
        b.reason = reason;
        b.icmpType = icmpType;
        b.icmpCode = icmpCode;
        b.component = component;
        b.location = location;
        b.processName = processName;
        b.pid = pid;
        b.rule = rule;
        b.namespace = namespace;
        b.hook = hook;
        b.ttl = ttl;
        b.confidence = confidence;
        b.recordedBy = recordedBy;
        b.frames.addAll(frames);
        b.times.addAll(times);
        b.description = description;
        b.count = count;
        return b;
    }

    /** What kind of loss this is. */
    public DropKind kind() {
        return kind;
    }

    /** Where the evidence comes from. */
    public EvidenceSource source() {
        return source;
    }

    /** The flow the drop concerns (client → server for TCP); empty for capture loss. */
    public Optional<Flow> flow() {
        return Optional.ofNullable(flow);
    }

    /**
     * Machine-readable reason: the kernel's drop reason ({@code NETFILTER_DROP}), or for ICMP
     * unreachable the code's name ({@code PORT_UNREACHABLE}, {@code ADMIN_PROHIBITED}, ...).
     */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** ICMP type of the error message, for {@link DropKind#ICMP_UNREACHABLE}. */
    public OptionalInt icmpType() {
        return icmpType == null ? OptionalInt.empty() : OptionalInt.of(icmpType);
    }

    /** ICMP code of the error message, for {@link DropKind#ICMP_UNREACHABLE}. */
    public OptionalInt icmpCode() {
        return icmpCode == null ? OptionalInt.empty() : OptionalInt.of(icmpCode);
    }

    /** Readable component that dropped it, e.g. {@code netfilter (nftables)}. */
    public Optional<String> component() {
        return Optional.ofNullable(component);
    }

    /** Kernel code location, e.g. {@code nft_do_chain}. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** Name of the process involved, e.g. {@code java}. */
    public Optional<String> processName() {
        return Optional.ofNullable(processName);
    }

    /** Process id of the process involved. */
    public OptionalLong pid() {
        return pid == null ? OptionalLong.empty() : OptionalLong.of(pid);
    }

    /** The firewall rule that dropped it, when the firewall told us. */
    public Optional<FirewallRule> firewallRule() {
        return Optional.ofNullable(rule);
    }

    /**
     * The network namespace the drop happened in, when the evidence names it: {@code "(JVM)"} for
     * the JVM's own, else its {@code ip netns} name (e.g. {@code "db"}).
     */
    public Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    /**
     * The netfilter hook a kernel drop happened in ({@code OUTPUT}, {@code INPUT}, {@code FORWARD},
     * {@code PREROUTING}, {@code POSTROUTING}), when the evidence names it (eBPF records).
     */
    public Optional<String> hook() {
        return Optional.ofNullable(hook);
    }

    /** The dropped packet's own TTL / hop limit, when the evidence read it (eBPF records). */
    public OptionalInt ttl() {
        return ttl == null ? OptionalInt.empty() : OptionalInt.of(ttl);
    }

    /**
     * How sure the record's flow, place and process are, for kernel records: {@code OBSERVED}
     * when read from the dropped packet itself (eBPF), {@code INFERRED} when tied to a flow by
     * time and CPU (tracefs); empty for other evidence. An eBPF record of a packet that had no
     * socket where it was dropped (a SYN on the receiver's INPUT) may still name a process: the
     * only one the kernel journal shows connect()ing its flow; that process is inferred, and the
     * {@link #description()} says so ("sent by process java (pid 4242), which connect()ed this
     * flow (inferred: ...)").
     */
    public Optional<Confidence> confidence() {
        return Optional.ofNullable(confidence);
    }

    /** What recorded a kernel record: {@code "eBPF"} or {@code "tracefs"}; empty for other evidence. */
    public Optional<String> recordedBy() {
        return Optional.ofNullable(recordedBy);
    }

    /** Frame numbers (1-based, as in Wireshark) of the captured packets that show it. */
    public List<Long> frames() {
        return frames;
    }

    /** The instants the evidence refers to, in order (e.g. each SYN transmission). */
    public List<Instant> times() {
        return times;
    }

    /** The first of {@link #times()}, if any. */
    public Optional<Instant> time() {
        return times.isEmpty() ? Optional.empty() : Optional.of(times.get(0));
    }

    /**
     * How many packets this record stands for: a kernel summary counts every drop it folded
     * (its {@link #times()} hold only the first and the last), a kernel record one per event,
     * a wire record the packets that show the loss (each unanswered SYN, each retransmission,
     * each ICMP error), capture loss the packets the capture lost. At least 1; by default the
     * number of {@link #times()}. Every count pcapunit prints adds these up.
     *
     * <pre>{@code
     * long dropped = traffic.dropsTo(1433).stream().mapToLong(Drop::count).sum();
     * // a summary of 190,385 NO_SOCKET drops counts 190385, not its 2 instants
     * }</pre>
     */
    public long count() {
        return count;
    }

    /**
     * Whether this record is a note rather than a lost packet: a kernel record of an ICMP(v6) echo
     * reply freed at {@code ping_rcv} with {@code NO_SOCKET}. {@code ping_rcv} hands echo replies to
     * ping sockets (unprivileged ICMP sockets); a root {@code ping} listens on a raw socket, which
     * got its own copy of the reply before, so every reply it receives ends here too. The record
     * says no packet was lost, whatever follows it; it stays in {@link CapturedTraffic#drops()}.
     * Verdicts go further with the capture's context: a note follows the capture of the reply it
     * frees and is shown on that answered exchange; one that follows no captured reply (a reply
     * nobody asked for) stays a drop of its flow in the verdicts.
     *
     * <pre>{@code
     * List<Drop> lost = traffic.drops().stream().filter(d -> !d.isNote()).toList();
     * }</pre>
     */
    public boolean isNote() {
        return source == EvidenceSource.KERNEL && "NO_SOCKET".equals(reason) && "ping_rcv".equals(location);
    }

    /** One readable line, e.g. {@code SYN 10.0.1.10:50122 → 10.0.1.20:1433 sent 3×, no SYN-ACK}. */
    public String description() {
        return description;
    }

    private String defaultDescription() {
        StringBuilder s = new StringBuilder(kind.name());
        if (flow != null) {
            s.append(' ').append(flow);
        }
        if (reason != null) {
            s.append(", reason ").append(reason);
        }
        if (component != null) {
            s.append(", component ").append(component);
            if (location != null) {
                s.append(" (").append(location).append(')');
            }
        }
        if (processName != null) {
            s.append(", process ").append(processName);
            if (pid != null) {
                s.append(" (pid ").append(pid).append(')');
            }
        }
        if (rule != null) {
            s.append(", rule ").append(rule);
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Drop)) {
            return false;
        }
        Drop d = (Drop) o;
        return kind == d.kind && source == d.source && Objects.equals(flow, d.flow)
                && Objects.equals(reason, d.reason) && Objects.equals(icmpType, d.icmpType)
                && Objects.equals(icmpCode, d.icmpCode) && Objects.equals(component, d.component)
                && Objects.equals(location, d.location) && Objects.equals(processName, d.processName)
                && Objects.equals(pid, d.pid) && Objects.equals(rule, d.rule) && Objects.equals(namespace, d.namespace)
                && Objects.equals(hook, d.hook) && Objects.equals(ttl, d.ttl) && confidence == d.confidence
                && Objects.equals(recordedBy, d.recordedBy)
                && frames.equals(d.frames) && times.equals(d.times) && description.equals(d.description)
                && count == d.count;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, source, flow, reason, frames, times, description);
    }

    /** {@code [WIRE REFUSED] } followed by {@link #description()}. */
    @Override
    public String toString() {
        return "[" + source + " " + kind + "] " + description;
    }

    /**
     * Builder of {@link Drop}. Every field except kind and source is optional.
     *
     * <pre>{@code Drop.builder(DropKind.ECHO_WITHOUT_REPLY, EvidenceSource.WIRE).frame(3).build();}</pre>
     */
    public static final class Builder {
        private final DropKind kind;
        private final EvidenceSource source;
        private Flow flow;
        private String reason;
        private Integer icmpType;
        private Integer icmpCode;
        private String component;
        private String location;
        private String processName;
        private Long pid;
        private FirewallRule rule;
        private String namespace;
        private String hook;
        private Integer ttl;
        private Confidence confidence;
        private String recordedBy;
        private final List<Long> frames = new ArrayList<>();
        private final List<Instant> times = new ArrayList<>();
        private String description;
        private long count;

        private Builder(DropKind kind, EvidenceSource source) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The flow the drop concerns. */
        public Builder flow(Flow flow) {
            this.flow = flow;
            return this;
        }

        /** Machine-readable reason ({@code NETFILTER_DROP}, {@code PORT_UNREACHABLE}). */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** ICMP type and code of the error message. */
        public Builder icmp(int type, int code) {
            this.icmpType = type;
            this.icmpCode = code;
            return this;
        }

        /** Readable component, e.g. {@code netfilter (nftables)}. */
        public Builder component(String component) {
            this.component = component;
            return this;
        }

        /** Kernel code location, e.g. {@code nft_do_chain}. */
        public Builder location(String location) {
            this.location = location;
            return this;
        }

        /** Process name and id ({@code pid < 0}: unknown). */
        public Builder process(String name, long pid) {
            this.processName = name;
            this.pid = pid < 0 ? null : pid;
            return this;
        }

        /** The firewall rule that dropped it. */
        public Builder firewallRule(FirewallRule rule) {
            this.rule = rule;
            return this;
        }

        /** The network namespace it happened in ({@code "(JVM)"} or an {@code ip netns} name). */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The netfilter hook it happened in ({@code OUTPUT}, {@code INPUT}, {@code FORWARD}, ...). */
        public Builder hook(String hook) {
            this.hook = hook;
            return this;
        }

        /** The dropped packet's TTL / hop limit ({@code < 0}: unknown). */
        public Builder ttl(int ttl) {
            this.ttl = ttl < 0 ? null : ttl;
            return this;
        }

        /** How sure a kernel record's flow, place and process are, and what recorded it ({@code "eBPF"}, {@code "tracefs"}). */
        public Builder recorded(String recordedBy, Confidence confidence) {
            this.recordedBy = recordedBy;
            this.confidence = confidence;
            return this;
        }

        /** Adds a captured frame number (1-based) showing the drop. */
        public Builder frame(long frameNumber) {
            this.frames.add(frameNumber);
            return this;
        }

        /** Adds frame numbers. */
        public Builder frames(List<Long> frameNumbers) {
            this.frames.addAll(frameNumbers);
            return this;
        }

        /** Adds an instant the evidence refers to. */
        public Builder time(Instant time) {
            this.times.add(Objects.requireNonNull(time, "time"));
            return this;
        }

        /** Adds instants. */
        public Builder times(List<Instant> instants) {
            instants.forEach(this::time);
            return this;
        }

        /**
         * How many packets the record stands for (see {@link Drop#count()}); unset: one per
         * instant, at least 1.
         *
         * <pre>{@code Drop.builder(DropKind.KERNEL_DROP, EvidenceSource.KERNEL).times(List.of(first, last)).count(190_385);}</pre>
         *
         * @throws IllegalArgumentException if {@code count} is below 1
         */
        public Builder count(long count) {
            if (count < 1) {
                throw new IllegalArgumentException("count(" + count + ") is not a number of packets; use 1 or more");
            }
            this.count = count;
            return this;
        }

        /** The one-line description; default: kind, flow, reason and component. */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /** The drop. */
        public Drop build() {
            return new Drop(this);
        }
    }

    /**
     * A firewall rule as nftables names it: table (with family), chain, handle and comment.
     *
     * <pre>{@code new Drop.FirewallRule("inet pcapunit_x", "output", 7, "block db")}</pre>
     */
    public static final class FirewallRule {
        private final String table;
        private final String chain;
        private final long handle;
        private final String comment;

        /**
         * A rule.
         *
         * @param table table name, optionally with its family ({@code inet filter})
         * @param chain chain name
         * @param handle rule handle, {@code -1} if unknown
         * @param comment the rule's comment, or {@code null}
         */
        public FirewallRule(String table, String chain, long handle, String comment) {
            this.table = Objects.requireNonNull(table, "table");
            this.chain = Objects.requireNonNull(chain, "chain");
            this.handle = handle;
            this.comment = comment;
        }

        /** Table name (with family when known). */
        public String table() {
            return table;
        }

        /** Chain name. */
        public String chain() {
            return chain;
        }

        /** Rule handle, {@code -1} if unknown. */
        public long handle() {
            return handle;
        }

        /** The rule's comment. */
        public Optional<String> comment() {
            return Optional.ofNullable(comment);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof FirewallRule)) {
                return false;
            }
            FirewallRule r = (FirewallRule) o;
            return handle == r.handle && table.equals(r.table) && chain.equals(r.chain)
                    && Objects.equals(comment, r.comment);
        }

        @Override
        public int hashCode() {
            return Objects.hash(table, chain, handle, comment);
        }

        /** {@code table inet filter chain output handle 7 comment "block db"}. */
        @Override
        public String toString() {
            return "table " + table + " chain " + chain + (handle >= 0 ? " handle " + handle : "")
                    + (comment != null ? " comment \"" + comment + "\"" : "");
        }
    }
}
