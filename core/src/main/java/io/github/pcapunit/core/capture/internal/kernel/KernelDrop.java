package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One correlated kernel drop: the packets the kernel freed with {@code reason} at {@code location},
 * attributed (when the events allow) to a TCP flow and the process that opened it.
 *
 * @param reason      kernel drop reason, e.g. NETFILTER_DROP
 * @param location    kernel function, e.g. nft_do_chain
 * @param component   readable component, e.g. "netfilter (nftables)"
 * @param protocol    "TCP" when attributed to a flow, else the packet's network protocol ("IPv4")
 * @param saddr       source address of the dropped packets, "" when unknown
 * @param sport       source port, -1 when unknown
 * @param daddr       destination address, "" when unknown
 * @param dport       destination port, -1 when unknown
 * @param tcpFlags    what the dropped TCP segments were ("SYN" for a connect), "" when unknown
 * @param processName process name, "" when the drop happened outside any process
 * @param pid         process id, -1 when unknown
 * @param times       each drop instant, in order; for drops the recorder counted but did not keep
 *                    one by one (a {@code kernel_trace_summary}), the first and the last
 * @param count       how many packets were dropped: the number of {@code times}, or a summary's count
 * @param hook        the netfilter hook ({@code OUTPUT}, {@code INPUT}, {@code FORWARD}, ...), "" when not known
 * @param namespace   the network namespace it happened in ({@code (JVM)}, an {@code ip netns} name or
 *                    {@code net:[inode]}), "" when not known
 * @param ttl         the dropped packet's TTL / hop limit, -1 when not known
 * @param source      what recorded it: {@code EBPF} (the packet's own headers, read from the sk_buff) or
 *                    {@code TRACEFS} (the flow and process correlated by time and CPU)
 * @param observed    whether flow and place are observed (eBPF) rather than inferred (tracefs); the process
 *                    too, unless {@code connector}
 * @param connector   whether an eBPF record's process is not read from the socket but inferred from the
 *                    kernel journal: the only process whose {@code connect()} (a SYN_SENT transition
 *                    recorded by tracefs) opened this flow before the drop (see {@link KernelDrops#tieToConnects})
 */
public record KernelDrop(String reason, String location, String component, String protocol, String saddr, int sport,
        String daddr, int dport, String tcpFlags, String processName, long pid, List<Instant> times, long count,
        String hook, String namespace, int ttl, String source, boolean observed, boolean connector) {

    /** {@link #source()} of a drop read by the eBPF program. */
    public static final String EBPF = "EBPF";
    /** {@link #source()} of a drop recorded by tracefs and correlated. */
    public static final String TRACEFS = "TRACEFS";

    /** Copies the times; a count below their number is a bug. */
    public KernelDrop {
        times = List.copyOf(times);
        if (count < times.size()) {
            throw new IllegalArgumentException("count " + count + " < " + times.size() + " drop times");
        }
    }

    /** A record whose process, if any, is what recorded it says (the socket's owner for eBPF). */
    public KernelDrop(String reason, String location, String component, String protocol, String saddr, int sport,
            String daddr, int dport, String tcpFlags, String processName, long pid, List<Instant> times, long count,
            String hook, String namespace, int ttl, String source, boolean observed) {
        this(reason, location, component, protocol, saddr, sport, daddr, dport, tcpFlags, processName, pid, times,
                count, hook, namespace, ttl, source, observed, false);
    }

    /** A tracefs record (inferred): no hook, namespace or TTL. */
    public KernelDrop(String reason, String location, String component, String protocol, String saddr, int sport,
            String daddr, int dport, String tcpFlags, String processName, long pid, List<Instant> times, long count) {
        this(reason, location, component, protocol, saddr, sport, daddr, dport, tcpFlags, processName, pid, times,
                count, "", "", -1, TRACEFS, false);
    }

    /** A record of the drops at {@code times}, one packet each. */
    public KernelDrop(String reason, String location, String component, String protocol, String saddr, int sport,
            String daddr, int dport, String tcpFlags, String processName, long pid, List<Instant> times) {
        this(reason, location, component, protocol, saddr, sport, daddr, dport, tcpFlags, processName, pid, times,
                times.size());
    }

    /** This record narrowed to the one drop at {@code time} (for the journal entry of one event). */
    public KernelDrop single(Instant time) {
        return new KernelDrop(reason, location, component, protocol, saddr, sport, daddr, dport, tcpFlags,
                processName, pid, List.of(time), 1, hook, namespace, ttl, source, observed, connector);
    }

    /**
     * This record naming {@code comm} ({@code pid}) as the process that {@code connect()}ed its
     * flow: the kernel journal's only connect to it before the drop ({@link #connector()}).
     */
    public KernelDrop connectedBy(String comm, long pid) {
        return new KernelDrop(reason, location, component, protocol, saddr, sport, daddr, dport, tcpFlags, comm, pid,
                times, count, hook, namespace, ttl, source, observed, true);
    }

    /** Whether the drop is attributed to a flow (addresses known). */
    public boolean hasFlow() {
        return !saddr.isEmpty() && !daddr.isEmpty();
    }

    /** The flow of the dropped packets, when the drop names one (unknown ports as 0). */
    public Optional<Flow> flow() {
        if (!hasFlow()) {
            return Optional.empty();
        }
        IpProtocol p = switch (protocol) {
            case "TCP" -> IpProtocol.TCP;
            case "UDP" -> IpProtocol.UDP;
            case "ICMP" -> IpProtocol.ICMP;
            case "ICMPv6" -> IpProtocol.ICMPV6;
            default -> IpProtocol.OTHER;
        };
        return Optional.of(Flow.of(p, Endpoint.of(saddr, Math.max(sport, 0)), Endpoint.of(daddr, Math.max(dport, 0))));
    }

    /**
     * The pktmon-like line: {@code Drop: reason NETFILTER_DROP, component netfilter (nftables,
     * nft_do_chain), TCP 10.200.1.10:50122 → 10.200.1.20:1433 SYN, process java (pid 4242)} from
     * tracefs; an eBPF record adds what it observed and says so: {@code ..., TCP 10.200.61.10:39462
     * → 10.200.62.20:1101 SYN, hook OUTPUT in namespace client, ttl 64, 3 packets, process python3
     * (pid 19254), the socket's owner [eBPF, observed]}. A drop where the packet has no socket (on
     * the receiver's INPUT) names the process only when the journal ties it by its connect:
     * {@code ..., hook INPUT in namespace db, ttl 64, 4 packets, sent by process java (pid 4242),
     * which connect()ed this flow (inferred: the kernel journal's only connect() to it) [eBPF, observed]}.
     */
    public String line() {
        StringBuilder s = new StringBuilder("Drop: reason ").append(reason)
                .append(", component ").append(Components.withLocation(component, location)).append(", ");
        if (hasFlow()) {
            s.append(protocol).append(' ').append(endpoint(saddr, sport)).append(" \u2192 ").append(endpoint(daddr, dport));
            if (!tcpFlags.isEmpty()) {
                s.append(' ').append(tcpFlags);
            }
        } else {
            s.append(protocol).append(" packet");
        }
        // after the flow, so a line reads as before up to it, whichever recorder wrote it
        if (!hook.isEmpty() || !namespace.isEmpty()) {
            s.append(", ").append(hook.isEmpty() ? "" : "hook " + hook)
                    .append(hook.isEmpty() || namespace.isEmpty() ? "" : " ")
                    .append(namespace.isEmpty() ? "" : namespace.equals("(JVM)") ? "in the JVM's namespace"
                            : "in namespace " + namespace);
        }
        if (ttl >= 0) {
            s.append(", ttl ").append(ttl);
        }
        if (count > 1) {
            s.append(", ").append(count).append(" packets");
        }
        if (!processName.isEmpty()) {
            s.append(connector ? ", sent by process " : ", process ").append(processName);
            if (pid >= 0) {
                s.append(" (pid ").append(pid).append(')');
            }
            if (connector) {
                // what ties it and how sure: not the packet's socket, which eBPF did not find
                s.append(", which connect()ed this flow (inferred: the kernel journal's only connect() to it)");
            } else if (observed) {
                s.append(", the socket's owner");
            }
        }
        if (observed) {
            s.append(" [eBPF, observed]");
        }
        return s.toString();
    }

    private static String endpoint(String address, int port) {
        String a = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return port < 0 ? a : a + ":" + port;
    }
}
