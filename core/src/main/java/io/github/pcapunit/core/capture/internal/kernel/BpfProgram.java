package io.github.pcapunit.core.capture.internal.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * <p>One program serves every capture of the JVM ({@link BpfRecorder#shared}): drop reasons that
 * are not a network drop ({@link DropReasons#NOT_A_NETWORK_DROP}) cost a few comparisons and print
 * nothing; with a control nonce (where the kernel has the {@code syscalls:sys_enter_lseek}
 * tracepoint) it prints only the drops in the namespaces the running captures watch, map
 * {@code @watch} keyed by namespace inode, or every namespace's while {@code @all} is set (a
 * capture of the JVM's own interfaces, whose drops may happen in containers behind them). The JVM
 * changes those maps on the running program without restarting it ({@link Control}): it seeks a
 * file to an offset that encodes the command, and the program's {@code lseek} probe carries it out
 * before the syscall returns. It fails open: until the JVM has said {@link Control#HELLO} with the
 * program's nonce (which binds the channel to the kernel's pid of the process that said it: a JVM
 * in a PID namespace does not know its own) and then {@link Control#FILTER} 1, after setting
 * {@code @watch}/{@code @all}, every namespace's drops are printed, as without control; so are they
 * from BEGIN until then (no gap after READY) and after {@code FILTER 0}. The same channel asks for a heartbeat
 * now ({@link Control#HEARTBEAT}), so a caller that needs the output up to this moment waits
 * for bpftrace's reader, not for the next 50 ms heartbeat. Each capture still keeps the records of
 * its own namespaces and networks in Java ({@link BpfSubscription.Filter}).
 *
 * <p>With {@link Offsets} (read from the kernel's BTF) the {@code sk_buff}, {@code sock},
 * {@code net}, {@code net_device} and {@code socket_alloc} fields are read at raw offsets: casts to
 * those structs make bpftrace 0.17 parse their whole type graph with clang, which was most of its
 * attach time (measured: 1.3 s with casts, 0.3 s without, load 4). Without offsets it casts.
 *
 * <p>Output, one record per line ({@link BpfLines} reads it): {@code READY <mono ns>} once
 * attached, {@code H <mono ns>} every 50 ms (it also ends bpftrace by SIGPIPE should the JVM die
 * without running its hooks), and per drop {@code D <mono ns> <reason> <location> <ethertype>
 * <ip version> <saddr> <daddr> <ip proto> <word0> <word1> <tcp flags> <ttl> <netns inode>
 * <owner pid> <owner comm>|} followed by kernel stack frames (netfilter drops only) and a blank line.
 *
 * <pre>{@code
 * String text = BpfProgram.of(reasons, Offsets.read(btf)).text();
 * }</pre>
 *
 * @param excludedReasons drop reason numbers filtered out in the kernel
 * @param netfilterDrop   the number of {@code NETFILTER_DROP}, whose drops carry the stack; -1 if unknown
 * @param offsets         the structs' member offsets, or null: cast to the structs instead
 * @param nonce           the 32-bit value {@link Control#HELLO} must carry to bind the control channel
 *                        ({@link Control}; random per recorder, so another JVM's bpftrace ignores this
 *                        JVM's commands), or 0: no filter, every namespace's drops are printed
 */
record BpfProgram(List<Integer> excludedReasons, int netfilterDrop, Offsets offsets, long nonce) {

    /**
     * The commands of the control channel: an {@code lseek} offset {@code MAGIC << 48 | op << 40 |
     * value} (value: 32 bits, a namespace inode or the nonce; bit 63 stays 0, a seek offset is not
     * negative). {@link #HELLO} with the program's nonce binds the channel to the (kernel's) pid of
     * the process that sent it; the program obeys the other commands from that pid only.
     */
    static final class Control {
        /** Marks an offset as a command ("Pc"). */
        static final long MAGIC = 0x5063L;
        /** Watch the namespace {@code value}. */
        static final int WATCH = 1;
        /** Stop watching the namespace {@code value}. */
        static final int UNWATCH = 2;
        /** Print every namespace's drops ({@code value} 1) or only the watched ones (0). */
        static final int ALL = 3;
        /** Print a heartbeat line now. */
        static final int HEARTBEAT = 5;
        /** Bind the channel to the sender's pid when {@code value} is the program's nonce (first one only). */
        static final int HELLO = 6;
        /**
         * Filter namespaces ({@code value} 1: only {@code @watch}/{@code @all}) or print every
         * namespace's drops (0, the state until the first {@code FILTER 1}: fail open).
         */
        static final int FILTER = 7;

        private Control() {
        }

        /** The offset that carries {@code op} with {@code value}. */
        static long offset(int op, long value) {
            return (MAGIC << 48) | ((long) op << 40) | (value & 0xffffffffL);
        }
    }

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

        /** Whether the IPv4 address {@code a} (host byte order) is in this network. */
        boolean contains(long a) {
            long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
            return (a & mask) == (address & mask);
        }

        /** {@code a.b.c.d/p}. */
        @Override
        public String toString() {
            return ((address >> 24) & 0xff) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "."
                    + (address & 0xff) + "/" + prefix;
        }
    }

    /**
     * Where the program's fields are, as {@code [offset, size]} pairs: {@code sk_buff.head},
     * {@code .network_header}, {@code .sk}, {@code .dev}; {@code sock.__sk_common.skc_net.net},
     * {@code .sk_socket}; {@code net.ns.inum}; {@code net_device.nd_net.net};
     * {@code socket_alloc.vfs_inode.i_ino}.
     */
    record Offsets(Btf.Member head, Btf.Member networkHeader, Btf.Member skbSk, Btf.Member skbDev, Btf.Member skNet,
            Btf.Member skSocket, Btf.Member netInum, Btf.Member devNet, Btf.Member socketIno) {

        /** The offsets from the kernel's BTF, or empty when a member is missing (then the program casts). */
        static Optional<Offsets> read(Btf btf) {
            List<Optional<Btf.Member>> m = List.of(btf.member("sk_buff", "head"),
                    btf.member("sk_buff", "network_header"), btf.member("sk_buff", "sk"), btf.member("sk_buff", "dev"),
                    btf.member("sock", "__sk_common.skc_net.net"), btf.member("sock", "sk_socket"),
                    btf.member("net", "ns.inum"), btf.member("net_device", "nd_net.net"),
                    btf.member("socket_alloc", "vfs_inode.i_ino"));
            if (m.stream().anyMatch(Optional::isEmpty)) {
                return Optional.empty();
            }
            return Optional.of(new Offsets(m.get(0).get(), m.get(1).get(), m.get(2).get(), m.get(3).get(),
                    m.get(4).get(), m.get(5).get(), m.get(6).get(), m.get(7).get(), m.get(8).get()));
        }
    }

    /** Copies the list. */
    BpfProgram {
        excludedReasons = List.copyOf(excludedReasons);
    }

    /**
     * The program for this kernel's reason table; {@code offsets} null: casts. Controlled by this
     * JVM ({@link Control}) where the kernel has the {@code lseek} syscall tracepoint, else
     * printing every namespace's drops.
     */
    static BpfProgram of(DropReasons reasons, Offsets offsets) {
        boolean lseek = Tracefs.root().map(r -> java.nio.file.Files.isDirectory(
                r.resolve("events/syscalls/sys_enter_lseek"))).orElse(false);
        return of(reasons, offsets, lseek ? newNonce() : 0);
    }

    /** A random nonzero 32-bit nonce. */
    static long newNonce() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        long n;
        do {
            n = random.nextInt() & 0xffffffffL;
        } while (n == 0);
        return n;
    }

    /** The program for this kernel's reason table, controlled by the 32-bit {@code nonce} (0: none). */
    static BpfProgram of(DropReasons reasons, Offsets offsets, long nonce) {
        if ((nonce & 0xffffffffL) != nonce) {
            throw new IllegalArgumentException("nonce " + nonce + " is not 32 bits");
        }
        List<Integer> excluded = new ArrayList<>();
        for (String name : DropReasons.NOT_A_NETWORK_DROP) {
            reasons.number(name).ifPresent(excluded::add);
        }
        OptionalInt nf = reasons.number("NETFILTER_DROP");
        return new BpfProgram(excluded, nf.orElse(-1), offsets, nonce);
    }

    /** Whether the program has the control channel ({@link Control}) and filters namespaces in the kernel. */
    boolean controlled() {
        return nonce != 0;
    }

    /** {@code base}'s member as an expression: a raw read at its offset, or the cast form {@code cast}. */
    private String at(String base, Btf.Member m, String cast) {
        if (offsets == null) {
            return base + cast;
        }
        String type = switch (m.size()) {
            case 1 -> "uint8";
            case 2 -> "uint16";
            case 4 -> "uint32";
            default -> "uint64";
        };
        return "*(" + type + " *)(" + base + " + " + m.offset() + ")";
    }

    /** {@code (struct name *)expr}, or {@code (uint64)expr} with raw offsets. */
    private String pointer(String expr, String struct) {
        return offsets == null ? "(struct " + struct + " *)" + expr : "(uint64)" + expr;
    }

    /** The bpftrace source. */
    String text() {
        Offsets o = offsets == null ? new Offsets(null, null, null, null, null, null, null, null, null) : offsets;
        StringBuilder p = new StringBuilder();
        p.append("BEGIN { printf(\"READY %llu\\n\", nsecs); }\n");
        p.append("interval:ms:50 { printf(\"H %llu\\n\", nsecs); }\n");
        if (controlled()) {
            // every process's lseek reaches this probe (bpftrace's pid is the kernel's, which a JVM in
            // a PID namespace does not know): HELLO with the nonce binds it to the JVM's pid
            p.append("tracepoint:syscalls:sys_enter_lseek {\n")
                    .append("  $o = (uint64)args->offset;\n")
                    .append("  if (($o >> 48) == ").append(Control.MAGIC).append(") {\n")
                    .append("    $op = ($o >> 40) & 0xff; $v = (uint32)($o & 0xffffffff);\n")
                    .append("    if ($op == ").append(Control.HELLO).append(" && $v == ").append(nonce)
                    .append(" && @ctlpid == 0) { @ctlpid = pid; }\n")
                    .append("    if (pid == @ctlpid) {\n")
                    .append("      if ($op == ").append(Control.WATCH).append(") { @watch[$v] = (uint32)1; }\n")
                    .append("      if ($op == ").append(Control.UNWATCH).append(") { delete(@watch[$v]); }\n")
                    .append("      if ($op == ").append(Control.ALL).append(") { @all = $v; }\n")
                    .append("      if ($op == ").append(Control.FILTER).append(") { @ctl = $v; }\n")
                    .append("      if ($op == ").append(Control.HEARTBEAT).append(") { printf(\"H %llu\\n\", nsecs); }\n")
                    .append("    }\n  }\n}\n");
        }
        // Socket owners, keyed by the socket inode (unique while the socket exists, unlike its address).
        String socket = at("$sk", o.skSocket(), "->sk_socket");
        String ino = offsets == null ? "((struct socket_alloc *)$sk->sk_socket)->vfs_inode.i_ino"
                : at("$so", o.socketIno(), "");
        String own = "  $sk = %s;\n"
                + "  $so = " + socket + ";\n"
                + "  if ($so != 0) {\n"
                + "    $ino = " + ino + ";\n"
                + "    %s\n"
                + "  }\n";
        p.append("tracepoint:sock:inet_sock_set_state /args->newstate == 2 && args->oldstate != 2/ {\n")
                .append(String.format(own, pointer("args->skaddr", "sock"), "@own[$ino] = pid; @ownc[$ino] = comm;"))
                .append("}\n");
        p.append("tracepoint:sock:sock_send_length /args->family == 2 || args->family == 10/ {\n")
                .append(String.format(own, pointer("args->sk", "sock"), "@own[$ino] = pid; @ownc[$ino] = comm;"))
                .append("}\n");
        p.append("tracepoint:sock:inet_sock_set_state /args->newstate == 7/ {\n")
                .append(String.format(own, pointer("args->skaddr", "sock"), "delete(@own[$ino]); delete(@ownc[$ino]);"))
                .append("}\n");
        // each args-> costs bpftrace 0.17 about 20 reads of available_events while it analyses the
        // program (35 uses: ~0.4 s of its attach time): read each once
        p.append("tracepoint:skb:kfree_skb {\n")
                .append("  $r = args->reason; $p = args->protocol; $loc = args->location;\n");
        p.append("  if (");
        if (excludedReasons.isEmpty()) {
            p.append("1");
        }
        for (int i = 0; i < excludedReasons.size(); i++) {
            p.append(i == 0 ? "" : " && ").append("$r != ").append(excludedReasons.get(i));
        }
        p.append(") {\n");
        p.append("  $skb = ").append(pointer("args->skbaddr", "sk_buff")).append(";\n")
                .append("  $nh = ").append(at("$skb", o.head(), "->head")).append(" + ")
                .append(at("$skb", o.networkHeader(), "->network_header")).append(";\n")
                .append("  $v = (*(uint8 *)$nh) >> 4;\n")
                .append("  $sk = ").append(at("$skb", o.skbSk(), "->sk")).append(";\n")
                .append("  $dev = ").append(at("$skb", o.skbDev(), "->dev")).append(";\n")
                .append("  $ns = (uint32)0;\n")
                .append("  if ($sk != 0) { $ns = ")
                .append(offsets == null ? "$sk->__sk_common.skc_net.net->ns.inum"
                        : at(at("$sk", o.skNet(), ""), o.netInum(), ""))
                .append("; }\n")
                .append("  else if ($dev != 0) { $ns = ")
                .append(offsets == null ? "$dev->nd_net.net->ns.inum" : at(at("$dev", o.devNet(), ""), o.netInum(), ""))
                .append("; }\n");
        if (controlled()) {
            // the namespaces the running captures watch (@all: every namespace); nothing else leaves the
            // kernel once the JVM turned the filter on (@ctl: until then every drop, fail open)
            p.append("  if (@ctl == 0 || @all != 0 || @watch[$ns] != 0) {\n");
        }
        p.append("  $opid = (uint64)0; $ocomm = \"-\";\n")
                .append("  if ($sk != 0) {\n")
                .append("    $so = ").append(socket).append(";\n")
                .append("    if ($so != 0) {\n")
                .append("      $ino = ").append(ino).append(";\n")
                .append("      $opid = @own[$ino];\n")
                .append("      if ($opid != 0) { $ocomm = @ownc[$ino]; }\n")
                .append("    }\n")
                .append("  }\n");
        p.append("  if ($p == 0x0800 && $v == 4) {\n")
                .append("    $ip = (struct iphdr *)$nh;\n")
                .append("    $th = $nh + ($ip->ihl * 4);\n")
                .append("    $w0 = *(uint16 *)$th; $w1 = *(uint16 *)($th + 2);\n")
                .append(print("    ", "4", "ntop(2, $ip->saddr), ntop(2, $ip->daddr), $ip->protocol", "$ip->ttl"));
        p.append("  } else if ($p == 0x86DD && $v == 6) {\n")
                .append("    $ip6 = (struct ipv6hdr *)$nh;\n")
                .append("    $th = $nh + 40;\n")
                .append("    $w0 = *(uint16 *)$th; $w1 = *(uint16 *)($th + 2);\n")
                .append(print("    ", "6", "ntop(10, $ip6->saddr.in6_u.u6_addr8), ntop(10, $ip6->daddr.in6_u.u6_addr8),"
                        + " $ip6->nexthdr", "$ip6->hop_limit"));
        p.append("  } else {\n")
                .append("    printf(\"D %llu %d %s %d 0 - - 0 0 0 0 0 %u 0 -|\\n\\n\", nsecs, $r,")
                .append(" ksym($loc), $p, $ns);\n")
                .append("  }\n  }\n");
        if (controlled()) {
            p.append("  }\n");
        }
        p.append("}\n");
        p.append("END { clear(@own); clear(@ownc);" + (controlled() ? " clear(@watch); delete(@all); delete(@ctl); delete(@ctlpid);" : "") + " }\n");
        return p.toString();
    }

    /**
     * The printf of one IP drop; netfilter drops add the kernel stack, whose text starts and ends
     * with a newline, others a blank line: every record ends at a blank line.
     */
    private String print(String indent, String version, String addresses, String ttl) {
        String format = "D %llu %d %s %d " + version + " %s %s %d %d %d %d %d %u %llu %s|";
        String args = "nsecs, $r, ksym($loc), $p, " + addresses + ","
                + " (($w0 & 0xff) << 8) | ($w0 >> 8), (($w1 & 0xff) << 8) | ($w1 >> 8),"
                + " *(uint8 *)($th + 13), " + ttl + ", $ns, $opid, $ocomm";
        String plain = indent + "printf(\"" + format + "\\n\\n\", " + args + ");\n";
        if (netfilterDrop < 0) {
            return plain;
        }
        return indent + "if ($r == " + netfilterDrop + ") {\n"
                + indent + "  printf(\"" + format + "%s\\n\", " + args + ", kstack(" + STACK_FRAMES + "));\n"
                + indent + "} else {\n  " + plain + indent + "}\n";
    }
}
