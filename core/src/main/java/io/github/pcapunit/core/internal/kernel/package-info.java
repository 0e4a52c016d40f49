/**
 * Kernel evidence on Linux: a private tracefs instance recording {@code skb:kfree_skb} drop
 * reasons, TCP socket states, retransmissions and resets while a capture runs; correlation of
 * those events into drop records; their journal-entry form for the pcapng. <strong>Not API.</strong>
 */
package io.github.pcapunit.core.internal.kernel;
