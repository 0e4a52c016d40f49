package io.github.pcapunit.core.pcapng.internal;

import io.github.pcapunit.core.pcapng.InterfaceDescription;
import java.util.List;

/**
 * The {@link Merger}'s inputs as a k-way merge by timestamp: one {@link ClassicCursor} per
 * input, each at its next packet of the window; on a tie the lower input comes first.
 *
 * <pre>{@code
 * try (Heads h = new Heads(inputs, from, to)) {
 *     for (int i; (i = h.pick()) >= 0; h.advance(i)) { write(h.cursors[i]); }
 * }
 * }</pre>
 */
final class Heads implements AutoCloseable {
    final ClassicCursor[] cursors;
    final boolean[] has;
    private final List<Merger.Input> inputs;
    private final long toNanos;

    /** Opens every input and skips the packets before {@code fromNanos}. */
    Heads(List<Merger.Input> inputs, long fromNanos, long toNanos) {
        this.inputs = inputs;
        this.toNanos = toNanos;
        this.cursors = new ClassicCursor[inputs.size()];
        this.has = new boolean[inputs.size()];
        try {
            for (int i = 0; i < cursors.length; i++) {
                Merger.Input in = inputs.get(i);
                cursors[i] = ClassicCursor.open(in.pcap, in.from, in.limit);
                while ((has[i] = cursors[i].nextPacket()) && cursors[i].timestampNanos() < fromNanos) {
                    // before the window
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Each input's interface: the given description, link type and snaplen from the header unless set. */
    InterfaceDescription[] descriptions() {
        InterfaceDescription[] idbs = new InterfaceDescription[cursors.length];
        for (int i = 0; i < idbs.length; i++) {
            InterfaceDescription header = cursors[i].interfaces().get(0);
            InterfaceDescription o = inputs.get(i).description;
            InterfaceDescription.Builder b = o == null ? InterfaceDescription.builder() : o.toBuilder();
            if (o == null || !o.isLinkTypeSet()) {
                b.linkType(header.linkType());
            }
            if (o == null || !o.isSnaplenSet()) {
                b.snaplen(header.snaplen());
            }
            idbs[i] = b.build();
        }
        return idbs;
    }

    /** The input whose packet comes next in the window, or -1. */
    int pick() {
        int pick = -1;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < cursors.length; i++) {
            if (has[i] && cursors[i].timestampNanos() <= toNanos
                    && (pick < 0 || cursors[i].timestampNanos() < best)) {
                pick = i;
                best = cursors[i].timestampNanos();
            }
        }
        return pick;
    }

    void advance(int i) {
        has[i] = cursors[i].nextPacket();
    }

    @Override
    public void close() {
        for (ClassicCursor c : cursors) {
            if (c != null) {
                c.close();
            }
        }
    }
}
