package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.packet.Endpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * Reads the output of {@link BpfProgram} line by line into {@code kfree_skb} {@link KernelEvent}s
 * whose fields are the dropped packet's own: {@code reason}, {@code location}, {@code protocol}
 * (IPv4, IPv6 or the ethertype), {@code ipproto} (TCP, UDP, ICMP, ICMPv6 or the number),
 * {@code saddr}, {@code daddr}, {@code sport}/{@code dport} (TCP and UDP), {@code flags} (TCP flags,
 * or ICMP {@code type 8 code 0}), {@code ttl}, {@code netns_inode}, {@code netns} (its name), {@code hook}
 * (netfilter drops whose stack names it) and {@code source=EBPF}. The event's pid and comm are the
 * socket owner's, recorded at connect or send, or -1 and "" when none is known — never the task
 * that was running. Garbage lines are skipped (counted in {@link #skipped()}).
 *
 * <pre>{@code
 * BpfLines lines = new BpfLines(offset, reasons::name, names::name);
 * for (String line : output) {
 *     lines.accept(line).ifPresent(events::add);
 * }
 * }</pre>
 */
final class BpfLines {

    /** {@code PCAPUNIT_DROP_SOURCE} of eBPF drops and the {@code source} field of their events. */
    static final String EBPF = "EBPF";

    /** What a line was, besides a finished drop. */
    enum Kind { READY, HEARTBEAT, DROP, PART, LOST, OTHER }

    private final long wallMinusMonoNanos;
    private final IntFunction<String> reasonName;
    private final LongFunction<String> netnsName;
    private final LongFunction<String> processName;
    private String[] pending;
    private String pendingComm;
    private final List<String> frames = new ArrayList<>();
    private KernelEvent last;
    private long lastMono = -1;
    private long skipped;
    private long lost;

    /**
     * @param wallMinusMonoNanos epoch nanos minus CLOCK_MONOTONIC nanos (bpftrace's {@code nsecs})
     * @param reasonName         drop reason number to name
     * @param netnsName          namespace inode to name
     * @param processName        owner pid to process name ("" to keep the recorded thread name)
     */
    BpfLines(long wallMinusMonoNanos, IntFunction<String> reasonName, LongFunction<String> netnsName,
            LongFunction<String> processName) {
        this.wallMinusMonoNanos = wallMinusMonoNanos;
        this.reasonName = reasonName;
        this.netnsName = netnsName;
        this.processName = processName;
    }

    /** Reads one line; {@link Kind#DROP} when it completed a drop, then {@link #last()} is it. */
    Kind accept(String line) {
        if (pending != null) {
            if (line.isBlank()) {
                last = event(pending, pendingComm, frames);
                pending = null;
                frames.clear();
                return last == null ? Kind.OTHER : Kind.DROP;
            }
            frames.add(line.strip());
            if (frames.size() > 64) { // not a stack: a garbled record
                pending = null;
                frames.clear();
                skipped++;
            }
            return Kind.PART;
        }
        if (line.startsWith("READY ") || line.startsWith("H ")) {
            lastMono = number(line.substring(line.indexOf(' ') + 1).strip());
            return line.startsWith("R") ? Kind.READY : Kind.HEARTBEAT;
        }
        if (line.length() > 12 && line.startsWith("Lost ") && line.endsWith(" events")) {
            // bpftrace's account of perf buffer overflows: records the kernel dropped, not silently
            long n = number(line.substring(5, line.length() - 7).strip());
            if (n > 0) {
                lost += n;
                return Kind.LOST;
            }
        }
        if (line.startsWith("D ") && line.endsWith("|")) {
            String body = line.substring(2, line.length() - 1);
            String[] f = body.split(" ", 15);
            if (f.length == 15) {
                pending = f;
                pendingComm = f[14];
                return Kind.PART;
            }
        }
        if (!line.isBlank() && !line.startsWith("Attaching ")) {
            skipped++;
        }
        return Kind.OTHER;
    }

    /** The drop the last {@link Kind#DROP} line completed. */
    KernelEvent last() {
        return last;
    }

    /** The monotonic time of the last READY or heartbeat line, -1 before any. */
    long lastMono() {
        return lastMono;
    }

    /** The wall-clock instant of a bpftrace {@code nsecs} value. */
    Instant wall(long mono) {
        long epochNanos = mono + wallMinusMonoNanos;
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /** Drop records the kernel lost before bpftrace read them ({@code Lost N events} lines). */
    long lost() {
        return lost;
    }

    /** Lines that were neither a record nor bpftrace's own banner. */
    long skipped() {
        return skipped;
    }

    private KernelEvent event(String[] f, String comm, List<String> stack) {
        long mono = number(f[0]);
        long reason = number(f[1]);
        long ethertype = number(f[3]);
        long version = number(f[4]);
        long ipproto = number(f[7]);
        long w0 = number(f[8]);
        long w1 = number(f[9]);
        long tcpFlags = number(f[10]);
        long ttl = number(f[11]);
        long netns = number(f[12]);
        long owner = number(f[13]);
        if (mono < 0 || reason < 0 || ethertype < 0 || version < 0 || ipproto < 0 || w0 < 0 || w1 < 0
                || tcpFlags < 0 || ttl < 0 || netns < 0 || owner < 0 || reason > Integer.MAX_VALUE
                || ((version == 4 || version == 6) && !wellFormed(f[5], f[6], w0, w1, ttl))) {
            skipped++; // a garbled record: accepting it would make the capture file unreadable later
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("source", EBPF);
        fields.put("reason", reasonName.apply((int) reason));
        fields.put("location", f[2]);
        fields.put("protocol", ethertype == 0x0800 ? "IPv4" : ethertype == 0x86DD ? "IPv6" : Long.toString(ethertype));
        if (version == 4 || version == 6) {
            fields.put("ipproto", ipProtocol(ipproto));
            fields.put("saddr", f[5]);
            fields.put("daddr", f[6]);
            if (ipproto == 6 || ipproto == 17) {
                fields.put("sport", Long.toString(w0));
                fields.put("dport", Long.toString(w1));
            } else if (ipproto == 1 || ipproto == 58) {
                fields.put("flags", "type " + (w0 >> 8) + " code " + (w0 & 0xff));
            }
            if (ipproto == 6) {
                fields.put("flags", tcpFlags(tcpFlags));
            }
            fields.put("ttl", Long.toString(ttl));
        }
        if (netns > 0) {
            fields.put("netns_inode", Long.toString(netns));
            fields.put("netns", netnsName.apply(netns));
        }
        String hook = hook(stack);
        if (!hook.isEmpty()) {
            fields.put("hook", hook);
        }
        long pid = owner > 0 ? owner : -1;
        String name = "";
        if (pid > 0) {
            name = processName.apply(pid);
            if (name == null || name.isEmpty()) {
                name = comm.strip();
            }
        }
        return new KernelEvent(KernelJournal.KFREE_SKB, wall(mono), -1, pid, name, fields);
    }

    /**
     * Whether an IP record's fields are what the program prints and what the journal can read
     * back: numeric address literals, ports 0..65535, an ICMP type/code word, TTL 0..255.
     */
    private static boolean wellFormed(String saddr, String daddr, long w0, long w1, long ttl) {
        if (ttl > 255 || w0 > 65_535 || w1 > 65_535) {
            return false;
        }
        try {
            Endpoint.of(saddr, 0); // numeric literals only: no name lookup
            Endpoint.of(daddr, 0);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code TCP}, {@code UDP}, {@code ICMP}, {@code ICMPv6}, else the number. */
    static String ipProtocol(long number) {
        return switch ((int) number) {
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 1 -> "ICMP";
            case 58 -> "ICMPv6";
            default -> Long.toString(number);
        };
    }

    /** TCP flags as Wireshark lists them, e.g. {@code SYN}, {@code SYN ACK}, {@code RST ACK}; "" for none. */
    static String tcpFlags(long flags) {
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        int[] order = {1, 0, 2, 3, 4, 5, 6, 7}; // SYN first, as people say "SYN ACK"
        StringBuilder s = new StringBuilder();
        for (int i : order) {
            if ((flags & (1L << i)) != 0) {
                s.append(s.length() == 0 ? "" : " ").append(names[i]);
            }
        }
        return s.toString();
    }

    /**
     * The netfilter hook a drop happened in, from the kernel function that called
     * {@code nf_hook_slow} (through {@code nf_hook_slow_list} for batched receive); "" when the
     * stack has none or the caller is not one of the IPv4/IPv6 hook sites.
     */
    static String hook(List<String> stack) {
        for (int i = 0; i < stack.size() - 1; i++) {
            if (!function(stack.get(i)).equals("nf_hook_slow")) {
                continue;
            }
            String caller = function(stack.get(i + 1));
            if (caller.equals("nf_hook_slow_list") && i + 2 < stack.size()) {
                caller = function(stack.get(i + 2));
            }
            return switch (caller) {
                case "__ip_local_out", "ip_local_out", "__ip6_local_out", "ip6_local_out", "ip6_xmit",
                        "raw_send_hdrinc", "rawv6_send_hdrinc", "ndisc_send_skb", "mld_sendpack", "igmp6_send"
                        -> "OUTPUT";
                case "ip_local_deliver", "ip6_input" -> "INPUT";
                case "ip_forward", "ip6_forward" -> "FORWARD";
                case "ip_output", "ip6_output", "ip_mc_output", "ip6_mc_output" -> "POSTROUTING";
                case "ip_rcv", "ip6_rcv", "ip_sublist_rcv", "ip6_sublist_rcv", "ip_list_rcv", "ipv6_list_rcv"
                        -> "PREROUTING";
                default -> "";
            };
        }
        return "";
    }

    /** {@code nf_hook_slow} of a frame {@code nf_hook_slow+67} or {@code nf_hook_slow+67 [nf_tables]}. */
    private static String function(String frame) {
        String f = frame.strip();
        int end = 0;
        while (end < f.length() && f.charAt(end) != '+' && f.charAt(end) != ' ') {
            end++;
        }
        return f.substring(0, end);
    }

    private static long number(String text) {
        if (text.isEmpty() || text.length() > 19) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n < 0 ? -1 : n;
    }
}
