package io.github.pcapunit.core.pcapng;

/**
 * Which way a packet crossed the interface it was captured on, as pcapng's {@code epb_flags}
 * records it (bits 0-1). Captures on Linux's {@code any} pseudo-interface know it for every
 * packet; files from elsewhere often do not.
 */
public enum Direction {
    /** Not recorded. */
    UNKNOWN,
    /** Received by this host. */
    INBOUND,
    /** Sent by this host. */
    OUTBOUND
}
