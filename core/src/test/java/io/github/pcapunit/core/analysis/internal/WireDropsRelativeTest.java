package io.github.pcapunit.core.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link WireDrops#relative} prints the sign ({@code +}, or {@code -} before the base, never
 * {@code +-}) then exactly what {@code String.format("%.3f s")} prints of the span's size.
 */
class WireDropsRelativeTest {

    private static String expected(long nanos, long base) {
        double seconds;
        try {
            seconds = Math.subtractExact(nanos, base) / 1e9;
        } catch (ArithmeticException overflow) {
            seconds = ((double) nanos - (double) base) / 1e9;
        }
        return (nanos < base ? "-" : "+") + String.format(Locale.ROOT, "%.3f s", Math.abs(seconds));
    }

    @Test
    void edgesOfRoundingSignAndRange() {
        long base = 1_764_670_000_123_456_789L;
        long[] deltas = {0, 1, 499_999, 500_000, 500_001, 999_999, 1_000_000, 1_499_999, 1_500_000,
            999_499_999, 999_500_000, 999_500_001, 9_999_999_999L, 208_000_000, 1_042_705_000_000L,
            -1, -400_000, -499_999, -500_000, -500_001, -1_000_000, -1_500_000, -2_419_500_000L,
            999_999_999_999_999L, 1_000_000_000_000_000L, 123_456_789_012_345_678L};
        for (long d : deltas) {
            assertThat(WireDrops.relative(base + d, base)).as("delta %d ns", d).isEqualTo(expected(base + d, base));
        }
        // a SYN stamped a hair before the base: minus, not "+-"
        assertThat(WireDrops.relative(5, 7)).isEqualTo("-0.000 s");
        assertThat(WireDrops.relative(base - 257_000, base)).isEqualTo("-0.000 s");
        assertThat(WireDrops.relative(base - 2_419_500_001L, base)).isEqualTo("-2.420 s");
        assertThat(WireDrops.relative(base - 500_000, base)).isEqualTo("-0.001 s");
        assertThat(WireDrops.relative(base, base)).isEqualTo("+0.000 s");
        assertThat(WireDrops.relative(1_500_000, 0)).isEqualTo("+0.002 s");
        // spans beyond a long: the sign of the real difference
        assertThat(WireDrops.relative(Long.MAX_VALUE, Long.MIN_VALUE)).isEqualTo("+18446744073.710 s");
        assertThat(WireDrops.relative(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo("-18446744073.710 s");
        for (long d : deltas) {
            assertThat(WireDrops.relative(base + d, base)).as("delta %d ns", d).doesNotContain("+-");
        }
    }

    @Test
    void randomSpansAgreeWithStringFormat() {
        SplittableRandom random = new SplittableRandom(15);
        long base = 1_764_670_000_000_000_000L;
        for (int i = 0; i < 200_000; i++) {
            // spans from nanoseconds to weeks, both signs, many near a millisecond tie
            long d = random.nextLong(1L << random.nextInt(1, 51));
            if (i % 4 == 0) {
                d = d / 1_000_000 * 1_000_000 + 500_000 + random.nextInt(-2, 3);
            }
            long t = i % 2 == 0 ? base + d : base - d;
            assertThat(WireDrops.relative(t, base)).as("delta %d ns", t - base).isEqualTo(expected(t, base));
        }
    }
}
