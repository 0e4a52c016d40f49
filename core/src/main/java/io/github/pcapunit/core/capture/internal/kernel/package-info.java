/**
 * Kernel evidence recorded on Linux while a capture runs: a private tracefs instance recording
 * {@code skb:kfree_skb} drop reasons, TCP socket states, retransmissions and resets; nftables
 * trace verdicts (explain mode); their journal-entry form for the pcapng. <strong>Not API.</strong>
 */
package io.github.pcapunit.core.capture.internal.kernel;
