package io.github.pcapunit.core.analysis.internal;

/**
 * The IPv4 TTLs / IPv6 hop limits seen from one sender (0..255, as a bit set): what a reset or
 * an ICMP error claiming to come from that sender is compared with.
 */
public final class TtlSet {

    private final long[] bits = new long[4];

    /** Adds {@code ttl} (ignored outside 1..255). */
    public void add(int ttl) {
        if (ttl > 0 && ttl < 256) {
            bits[ttl >>> 6] |= 1L << (ttl & 63);
        }
    }

    /** Adds every TTL of {@code other}. */
    public void addAll(TtlSet other) {
        for (int i = 0; i < 4; i++) {
            bits[i] |= other.bits[i];
        }
    }

    public boolean contains(int ttl) {
        return ttl > 0 && ttl < 256 && (bits[ttl >>> 6] & (1L << (ttl & 63))) != 0;
    }

    public boolean isEmpty() {
        return (bits[0] | bits[1] | bits[2] | bits[3]) == 0;
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
