package io.github.pcapunit.core.analysis.internal;

/**
 * The IPv4 TTLs / IPv6 hop limits seen from one sender (0..255, as a bit set): what a reset or
 * an ICMP error claiming to come from that sender is compared with.
 */
public final class TtlSet {

    // Four words in the object itself, not an array: every TCP connection and UDP flow has two sets.
    private long b0;
    private long b1;
    private long b2;
    private long b3;

    /** Adds {@code ttl} (ignored outside 1..255). */
    public void add(int ttl) {
        if (ttl > 0 && ttl < 256) {
            long bit = 1L << (ttl & 63);
            switch (ttl >>> 6) {
                case 0 -> b0 |= bit;
                case 1 -> b1 |= bit;
                case 2 -> b2 |= bit;
                default -> b3 |= bit;
            }
        }
    }

    /** Adds every TTL of {@code other}. */
    public void addAll(TtlSet other) {
        b0 |= other.b0;
        b1 |= other.b1;
        b2 |= other.b2;
        b3 |= other.b3;
    }

    public boolean contains(int ttl) {
        if (ttl <= 0 || ttl >= 256) {
            return false;
        }
        long word = switch (ttl >>> 6) {
            case 0 -> b0;
            case 1 -> b1;
            case 2 -> b2;
            default -> b3;
        };
        return (word & (1L << (ttl & 63))) != 0;
    }

    public boolean isEmpty() {
        return (b0 | b1 | b2 | b3) == 0;
    }

    /** The TTL of this set nearest to {@code ttl} (the higher on a tie), or -1 when empty. */
    public int nearest(int ttl) {
        int best = -1;
        for (int t = 1; t < 256; t++) {
            if (contains(t) && (best < 0 || Math.abs(t - ttl) <= Math.abs(best - ttl))) {
                best = t;
            }
        }
        return best;
    }

    /** {@code 63} or {@code 63/64}. */
    public String text() {
        StringBuilder s = new StringBuilder();
        for (int t = 1; t < 256; t++) {
            if (contains(t)) {
                s.append(s.length() == 0 ? "" : "/").append(t);
            }
        }
        return s.toString();
    }

    /**
     * The initial TTL a sender most likely used for a packet that arrived with {@code ttl}: the
     * smallest common default (32, 64, 128, 255) not below it.
     */
    public static int initial(int ttl) {
        return ttl <= 32 ? 32 : ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
    }
}
