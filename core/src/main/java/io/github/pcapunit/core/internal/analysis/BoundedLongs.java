package io.github.pcapunit.core.internal.analysis;

import java.util.Arrays;

/** An append-only list of longs that keeps the first {@code cap} values and counts the rest. */
public final class BoundedLongs {

    private static final long[] EMPTY = {};

    private long[] values = EMPTY;
    private int size;
    private long total;
    private final int cap;

    public BoundedLongs(int cap) {
        this.cap = cap;
    }

    public void add(long v) {
        total++;
        if (size < cap) {
            if (size == values.length) {
                values = Arrays.copyOf(values, Math.min(cap, Math.max(2, size * 2)));
            }
            values[size++] = v;
        }
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
        return values[i];
    }

    public long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
