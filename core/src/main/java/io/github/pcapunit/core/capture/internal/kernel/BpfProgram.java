package io.github.pcapunit.core.capture.internal.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The bpftrace program pcapunit runs for kernel drop records: on {@code skb:kfree_skb} it reads
 * the dropped packet's own IPv4/IPv6 and TCP/UDP/ICMP headers from the {@code sk_buff}, the
 * network namespace (the socket's for a local sender, the device's for a received or forwarded
 * packet), for netfilter drops the kernel call stack (whose caller of {@code nf_hook_slow} names
 * the hook: this kernel has no kprobes, so the hook cannot be read from {@code nf_hook_state}),
 * and the socket's owner recorded when it was known: at {@code connect()}
 * ({@code sock:inet_sock_set_state} to SYN_SENT runs in the connecting task) and at each send
 * ({@code sock:sock_send_length} runs in the sending task), keyed by the socket's inode — never the
 * task that happens to run when a timer or softirq drops the packet.
 *
 * <p>Filtering happens in the kernel: drop reasons that are not a network drop
 * ({@link DropReasons#NOT_A_NETWORK_DROP}), drops in other namespaces than {@link #netns} (when
 * set) and, when {@link #ipv4Nets} is not empty, IPv4 packets with neither address in those
 * networks cost a few comparisons and print nothing.
 *
 * <p>Output, one record per line ({@link BpfLines} reads it): {@code READY <mono ns>} once
 * attached, {@code H <mono ns>} every 50 ms (it also ends bpftrace by SIGPIPE should the JVM die
 * without running its hooks), and per drop {@code D <mono ns> <reason> <location> <ethertype>
 * <ip version> <saddr> <daddr> <ip proto> <word0> <word1> <tcp flags> <ttl> <netns inode>
 * <owner pid> <owner comm>|} followed by kernel stack frames (netfilter drops only) and a blank line.
 *
 * <pre>{@code
 * String text = BpfProgram.of(reasons, List.of(new BpfProgram.Ipv4Net(0x0a_c8_40_00, 30))).text();
 * }</pre>
 *
 * @param excludedReasons drop reason numbers filtered out in the kernel
 * @param netfilterDrop   the number of {@code NETFILTER_DROP}, whose drops carry the stack; -1 if unknown
 * @param ipv4Nets        IPv4 networks the capture is about; empty: IPv4 packets of every address
 * @param netns           inodes of the network namespaces the capture is about; empty: every namespace
 */
record BpfProgram(List<Integer> excludedReasons, int netfilterDrop, List<Ipv4Net> ipv4Nets, List<Long> netns) {

    /** Frames of kernel stack printed for a netfilter drop: the drop, nft/ipt, the hook walk, its caller. */
    static final int STACK_FRAMES = 10;

    /** An IPv4 network, {@code address} in host byte order. */
    record Ipv4Net(long address, int prefix) {
        /** Validates the prefix. */
        Ipv4Net {
            if (prefix < 0 || prefix > 32) {
                throw new IllegalArgumentException("prefix " + prefix + " not in 0..32");
            }
        }

        /** {@code a.b.c.d/p}. */
        @Override
        public String toString() {
            return ((address >> 24) & 0xff) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "."
                    + (address & 0xff) + "/" + prefix;
        }
    }

    /** Copies the lists. */
    BpfProgram {
        excludedReasons = List.copyOf(excludedReasons);
        ipv4Nets = List.copyOf(ipv4Nets);
        netns = List.copyOf(netns);
    }

    /**
     * The program for this kernel's reason table, recording drops of packets in {@code ipv4Nets}
     * and namespaces {@code netns} (empty: all).
     */
    static BpfProgram of(DropReasons reasons, List<Ipv4Net> ipv4Nets, List<Long> netns) {
        List<Integer> excluded = new ArrayList<>();
        for (String name : DropReasons.NOT_A_NETWORK_DROP) {
            reasons.number(name).ifPresent(excluded::add);
        }
        OptionalInt nf = reasons.number("NETFILTER_DROP");
        return new BpfProgram(excluded, nf.orElse(-1), ipv4Nets, netns);
    }

    /** The bpftrace source. */
    String text() {
        StringBuilder p = new StringBuilder();
        p.append("BEGIN { printf(\"READY %llu\\n\", nsecs); }\n");
        p.append("interval:ms:50 { printf(\"H %llu\\n\", nsecs); }\n");
        // Socket owners, keyed by the socket inode (unique while the socket exists, unlike its address).
        String own = "  $sk = (struct sock *)%s;\n"
                + "  if ($sk->sk_socket != 0) {\n"
                + "    $ino = ((struct socket_alloc *)$sk->sk_socket)->vfs_inode.i_ino;\n"
                + "    @own[$ino] = pid; @ownc[$ino] = comm;\n"
                + "  }\n";
        p.append("tracepoint:sock:inet_sock_set_state /args->newstate == 2 && args->oldstate != 2/ {\n")
                .append(String.format(own, "args->skaddr")).append("}\n");
        p.append("tracepoint:sock:sock_send_length /args->family == 2 || args->family == 10/ {\n")
                .append(String.format(own, "args->sk")).append("}\n");
        p.append("tracepoint:sock:inet_sock_set_state /args->newstate == 7/ {\n")
                .append("  $sk = (struct sock *)args->skaddr;\n")
                .append("  if ($sk->sk_socket != 0) {\n")
                .append("    $ino = ((struct socket_alloc *)$sk->sk_socket)->vfs_inode.i_ino;\n")
                .append("    delete(@own[$ino]); delete(@ownc[$ino]);\n")
                .append("  }\n}\n");
        p.append("tracepoint:skb:kfree_skb");
        if (!excludedReasons.isEmpty()) {
            p.append(" /");
            for (int i = 0; i < excludedReasons.size(); i++) {
                p.append(i == 0 ? "" : " && ").append("args->reason != ").append(excludedReasons.get(i));
            }
            p.append("/");
        }
        p.append(" {\n");
        p.append("  $skb = (struct sk_buff *)args->skbaddr;\n")
                .append("  $nh = $skb->head + $skb->network_header;\n")
                .append("  $v = (*(uint8 *)$nh) >> 4;\n")
                .append("  $sk = $skb->sk;\n")
                .append("  $ns = (uint32)0;\n")
                .append("  if ($sk != 0) { $ns = $sk->__sk_common.skc_net.net->ns.inum; }\n")
                .append("  else if ($skb->dev != 0) { $ns = $skb->dev->nd_net.net->ns.inum; }\n");
        if (!netns.isEmpty()) {
            p.append("  if (");
            for (int i = 0; i < netns.size(); i++) {
                p.append(i == 0 ? "" : " || ").append("$ns == ").append(netns.get(i));
            }
            p.append(") {\n");
        } else {
            p.append("  if (1) {\n");
        }
        p
                .append("  $opid = (uint64)0; $ocomm = \"-\";\n")
                .append("  if ($sk != 0 && $sk->sk_socket != 0) {\n")
                .append("    $ino = ((struct socket_alloc *)$sk->sk_socket)->vfs_inode.i_ino;\n")
                .append("    $opid = @own[$ino];\n")
                .append("    if ($opid != 0) { $ocomm = @ownc[$ino]; }\n")
                .append("  }\n");
        p.append("  if (args->protocol == 0x0800 && $v == 4) {\n")
                .append("    $ip = (struct iphdr *)$nh;\n");
        if (!ipv4Nets.isEmpty()) {
            // network to host byte order, so the masks below read as written
            p.append("    $sn = (uint32)$ip->saddr; $dn = (uint32)$ip->daddr;\n");
            p.append("    $s = (($sn & 0xff) << 24) | (($sn & 0xff00) << 8) | (($sn >> 8) & 0xff00) | ($sn >> 24);\n");
            p.append("    $d = (($dn & 0xff) << 24) | (($dn & 0xff00) << 8) | (($dn >> 8) & 0xff00) | ($dn >> 24);\n");
            p.append("    if (");
            for (int i = 0; i < ipv4Nets.size(); i++) {
                Ipv4Net n = ipv4Nets.get(i);
                long mask = n.prefix() == 0 ? 0 : (0xffffffffL << (32 - n.prefix())) & 0xffffffffL;
                String m = "0x" + Long.toHexString(mask);
                String net = "0x" + Long.toHexString(n.address() & mask);
                p.append(i == 0 ? "" : " || ").append("($s & ").append(m).append(") == ").append(net)
                        .append(" || ($d & ").append(m).append(") == ").append(net);
            }
            p.append(") {\n");
        } else {
            p.append("    if (1) {\n");
        }
        p.append("      $th = $nh + ($ip->ihl * 4);\n")
                .append("      $w0 = *(uint16 *)$th; $w1 = *(uint16 *)($th + 2);\n")
                .append(print("      ", "4", "ntop(2, $ip->saddr), ntop(2, $ip->daddr), $ip->protocol", "$ip->ttl"))
                .append("    }\n");
        p.append("  } else if (args->protocol == 0x86DD && $v == 6) {\n")
                .append("    $ip6 = (struct ipv6hdr *)$nh;\n")
                .append("    $th = $nh + 40;\n")
                .append("    $w0 = *(uint16 *)$th; $w1 = *(uint16 *)($th + 2);\n")
                .append(print("    ", "6", "ntop(10, $ip6->saddr.in6_u.u6_addr8), ntop(10, $ip6->daddr.in6_u.u6_addr8),"
                        + " $ip6->nexthdr", "$ip6->hop_limit"));
        p.append("  } else {\n")
                .append("    printf(\"D %llu %d %s %d 0 - - 0 0 0 0 0 %u 0 -|\\n\\n\", nsecs, args->reason,")
                .append(" ksym(args->location), args->protocol, $ns);\n")
                .append("  }\n  }\n}\n");
        p.append("END { clear(@own); clear(@ownc); }\n");
        return p.toString();
    }

    /**
     * The printf of one IP drop; netfilter drops add the kernel stack, whose text starts and ends
     * with a newline, others a blank line: every record ends at a blank line.
     */
    private String print(String indent, String version, String addresses, String ttl) {
        String format = "D %llu %d %s %d " + version + " %s %s %d %d %d %d %d %u %llu %s|";
        String args = "nsecs, args->reason, ksym(args->location), args->protocol, " + addresses + ","
                + " (($w0 & 0xff) << 8) | ($w0 >> 8), (($w1 & 0xff) << 8) | ($w1 >> 8),"
                + " *(uint8 *)($th + 13), " + ttl + ", $ns, $opid, $ocomm";
        String plain = indent + "printf(\"" + format + "\\n\\n\", " + args + ");\n";
        if (netfilterDrop < 0) {
            return plain;
        }
        return indent + "if (args->reason == " + netfilterDrop + ") {\n"
                + indent + "  printf(\"" + format + "%s\\n\", " + args + ", kstack(" + STACK_FRAMES + "));\n"
                + indent + "} else {\n  " + plain + indent + "}\n";
    }
}
