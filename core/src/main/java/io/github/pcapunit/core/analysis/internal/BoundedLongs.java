package io.github.pcapunit.core.analysis.internal;

import java.util.Arrays;

/**
 * An append-only list of longs that keeps the first {@code cap} values and counts the rest. The
 * first value is held inline: most lists (a connection's SYN times) never get a second one, and
 * per-flow memory is what bounds the analysis.
 */
public final class BoundedLongs {

    private static final long[] EMPTY = {};

    private long first;
    private long[] rest = EMPTY;
    private int size;
    private long total;
    private final int cap;

    public BoundedLongs(int cap) {
        this.cap = cap;
    }

    public void add(long v) {
        total++;
        if (size >= cap) {
            return;
        }
        if (size == 0) {
            first = v;
        } else {
            int i = size - 1;
            if (i == rest.length) {
                rest = Arrays.copyOf(rest, Math.min(cap - 1, Math.max(2, i * 2)));
            }
            rest[i] = v;
        }
        size++;
    }

    /** Values kept. */
    public int size() {
        return size;
    }

    /** Values added, kept or not. */
    public long total() {
        return total;
    }

    public long get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return i == 0 ? first : rest[i - 1];
    }

    public long[] toArray() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }
}
