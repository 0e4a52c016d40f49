/**
 * Kernel evidence recorded on Linux while a capture runs: kernel drop records read by an eBPF
 * program ({@code bpftrace} on {@code skb:kfree_skb}: the dropped packet's own headers, namespace,
 * netfilter hook and socket owner, observed; one bpftrace per JVM, kept across captures, each
 * capture taking the drops of its namespaces and networks from the moment it starts); a private
 * tracefs instance per capture recording
 * {@code skb:kfree_skb} drop reasons, TCP socket states, retransmissions and resets, whose drop
 * records are correlated by time and CPU (inferred) and used where eBPF did not record; nftables
 * trace verdicts (explain mode); their journal-entry form for the pcapng. <strong>Not API.</strong>
 *
 * <p>Limits on kept events: eBPF drops are capped per capture and per kind including the flow (it
 * is known when the drop is recorded), so other flows' drops never take a flow's budget; tracefs events are
 * capped per kind before the flow is known (reason, location, protocol), so under a flood of
 * other processes' drops of the same kind a flow's drop can be counted in a summary, with its
 * count but without the comment on the captured packet.
 */
package io.github.pcapunit.core.capture.internal.kernel;
