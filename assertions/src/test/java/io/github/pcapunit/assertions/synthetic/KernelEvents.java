package io.github.pcapunit.assertions.synthetic;

import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.time.Instant;

/**
 * Kernel trace events as journal entries, with the fields pcapunit's engine writes for them
 * (docs/DESIGN.md; the demo in README.md shows such a file): a connect's state change, a TCP
 * retransmission and a {@code kfree_skb} drop. Reading the file back correlates them into drop
 * records exactly as for a real capture. The process is {@code java (pid 4242)} on CPU 1;
 * retransmissions fire from a timer, in softirq ({@code <idle>}, pid 0).
 *
 * <pre>{@code file.journal(KernelEvents.connect(at(0), CLIENT, SERVER, 1438))
 *         .journal(KernelEvents.drop(at(11), "NETFILTER_DROP", "nft_do_chain"));}</pre>
 */
final class KernelEvents {

    private static final String CPU = "1";
    private static final String PID = "4242";

    private KernelEvents() {
    }

    /** {@code connect()} starts: TCP_CLOSE → TCP_SYN_SENT, source port not bound yet (0). */
    static JournalEntry connect(Instant t, String saddr, String daddr, int dport) {
        return state(t, "TCP_CLOSE", "TCP_SYN_SENT", saddr, 0, daddr, dport, PID, "java");
    }

    /** The connect gives up: TCP_SYN_SENT → TCP_CLOSE, with the bound source port. */
    static JournalEntry giveUp(Instant t, String saddr, int sport, String daddr, int dport) {
        return state(t, "TCP_SYN_SENT", "TCP_CLOSE", saddr, sport, daddr, dport, PID, "java");
    }

    /** The kernel retransmits a SYN (timer, softirq context). */
    static JournalEntry retransmitSyn(Instant t, String saddr, int sport, String daddr, int dport) {
        return flowEvent(t, "tcp_retransmit_skb", "TCP retransmission in TCP_SYN_SENT, TCP " + saddr + ":" + sport
                + " \u2192 " + daddr + ":" + dport, saddr, sport, daddr, dport, "0", "<idle>")
                .field(JournalKey.PCAPUNIT_NEWSTATE, "TCP_SYN_SENT").build();
    }

    /** {@code kfree_skb} of an IPv4 packet by the process (e.g. NETFILTER_DROP at nft_do_chain). */
    static JournalEntry drop(Instant t, String reason, String location) {
        return drop(t, reason, location, PID, "java");
    }

    /** {@code kfree_skb} in softirq context (a retransmitted SYN, a packet from the wire). */
    static JournalEntry dropInSoftirq(Instant t, String reason, String location) {
        return drop(t, reason, location, "0", "<idle>");
    }

    /** {@code kfree_skb} by another process, e.g. {@code ping}. */
    static JournalEntry drop(Instant t, String reason, String location, String pid, String comm) {
        return JournalEntry.builder(t)
                .field(JournalKey.MESSAGE, "Drop: reason " + reason + ", component netfilter (nftables, " + location
                        + "), IPv4 packet")
                .field(JournalKey.PCAPUNIT_EVENT, "kfree_skb")
                .field(JournalKey.PCAPUNIT_REASON, reason)
                .field(JournalKey.PCAPUNIT_LOCATION, location)
                .field(JournalKey.PCAPUNIT_PROTOCOL, "IPv4")
                .field(JournalKey.PCAPUNIT_COMPONENT, "netfilter (nftables)")
                .field(JournalKey.PCAPUNIT_CPU, CPU)
                .field(JournalKey.PID, pid)
                .field(JournalKey.COMM, comm)
                .build();
    }

    private static JournalEntry state(Instant t, String from, String to, String saddr, int sport, String daddr,
                                      int dport, String pid, String comm) {
        return flowEvent(t, "inet_sock_set_state", "TCP state " + from + " \u2192 " + to + ", TCP " + saddr + ":"
                + sport + " \u2192 " + daddr + ":" + dport + ", process " + comm + " (pid " + pid + ")",
                saddr, sport, daddr, dport, pid, comm)
                .field(JournalKey.PCAPUNIT_OLDSTATE, from)
                .field(JournalKey.PCAPUNIT_NEWSTATE, to)
                .build();
    }

    private static JournalEntry.Builder flowEvent(Instant t, String event, String message, String saddr, int sport,
                                                  String daddr, int dport, String pid, String comm) {
        return JournalEntry.builder(t)
                .field(JournalKey.MESSAGE, message)
                .field(JournalKey.PCAPUNIT_EVENT, event)
                .field(JournalKey.PCAPUNIT_PROTOCOL, "TCP")
                .field(JournalKey.PCAPUNIT_SADDR, saddr)
                .field(JournalKey.PCAPUNIT_DADDR, daddr)
                .field(JournalKey.PCAPUNIT_SPORT, Integer.toString(sport))
                .field(JournalKey.PCAPUNIT_DPORT, Integer.toString(dport))
                .field(JournalKey.PCAPUNIT_CPU, CPU)
                .field(JournalKey.PID, pid)
                .field(JournalKey.COMM, comm);
    }
}
