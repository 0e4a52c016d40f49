package io.github.pcapunit.core.pcapng.internal;

import java.math.BigInteger;

/** Converts between nanoseconds and an {@code if_tsresol} unit (10^-n or 2^-n seconds). */
public final class Tsresol {

    private static final long NS = 1_000_000_000L;

    public static final Tsresol NANOS = new Tsresol(9);
    public static final Tsresol MICROS = new Tsresol(6);

    private final int raw;
    private final boolean pow2;
    private final int exp;
    /** For decimal: nanos per unit (n <= 9) or units per nano (n > 9). */
    private final long factor;
    /**
     * For decimal n <= 9: the largest unit count whose nanoseconds fit in a signed 64-bit value,
     * so that {@link #toNanosExact} compares instead of dividing in {@code Math.multiplyExact}
     * (the command line's C1-only JVM does not intrinsify it).
     */
    private final long maxUnits;

    private Tsresol(int raw) {
        this.raw = raw;
        this.pow2 = (raw & 0x80) != 0;
        this.exp = raw & 0x7F;
        if (pow2) {
            factor = 0;
        } else {
            factor = exp <= 9 ? pow10(9 - exp) : pow10(exp - 9);
        }
        maxUnits = !pow2 && exp <= 9 ? Long.MAX_VALUE / factor : -1;
    }

    /** The resolution for a raw {@code if_tsresol} byte; null if it cannot be represented. */
    public static Tsresol of(int raw) {
        if (raw == 9) {
            return NANOS;
        }
        if (raw == 6) {
            return MICROS;
        }
        int exp = raw & 0x7F;
        boolean pow2 = (raw & 0x80) != 0;
        if ((!pow2 && exp > 18) || (pow2 && exp > 63)) {
            return null;
        }
        return new Tsresol(raw & 0xFF);
    }

    public int raw() {
        return raw;
    }

    /** Timestamp units (as stored in the file, unsigned) to nanoseconds since the epoch. */
    public long toNanos(long units) {
        if (!pow2) {
            return exp <= 9 ? units * factor : Long.divideUnsigned(units, factor);
        }
        if (exp == 0) {
            return units * NS;
        }
        long secs = units >>> exp;
        long frac = units & ((1L << exp) - 1);
        long fracNs;
        if (exp <= 33) {
            fracNs = (frac * NS) >>> exp;
        } else {
            long hi = Math.multiplyHigh(frac, NS);
            long lo = frac * NS;
            fracNs = (hi << (64 - exp)) | (lo >>> exp);
        }
        return secs * NS + fracNs;
    }

    /**
     * Timestamp units (as stored in the file, unsigned) to nanoseconds since the epoch.
     *
     * @throws ArithmeticException if the time does not fit in a signed 64-bit count of
     *     nanoseconds (after the year 2262)
     */
    public long toNanosExact(long units) {
        if (!pow2) {
            if (exp > 9) {
                return Long.divideUnsigned(units, factor);
            }
            if (units < 0 || units > maxUnits) {
                throw new ArithmeticException("unsigned timestamp overflow");
            }
            return units * factor;
        }
        long secs = exp == 0 ? units : units >>> exp;
        if (secs < 0) {
            throw new ArithmeticException("unsigned timestamp overflow");
        }
        return Math.addExact(Math.multiplyExact(secs, NS), toNanos(exp == 0 ? 0 : units & ((1L << exp) - 1)));
    }

    /** The resolution in words, e.g. {@code 10^-6 s} or {@code 2^-20 s}. */
    public String describe() {
        return (pow2 ? "2^-" : "10^-") + exp + " s";
    }

    /**
     * Nanoseconds since the epoch (not negative) to timestamp units, truncating; the result is
     * an unsigned 64-bit value.
     *
     * @throws IllegalArgumentException if it does not fit in 64 bits at this resolution
     */
    public long toUnits(long nanos) {
        if (!pow2 && exp <= 9) {
            return nanos / factor;
        }
        if (pow2 && exp <= 30) {
            return ((nanos / NS) << exp) | (((nanos % NS) << exp) / NS);
        }
        BigInteger units = pow2
                ? BigInteger.valueOf(nanos).shiftLeft(exp).divide(BigInteger.valueOf(NS))
                : BigInteger.valueOf(nanos).multiply(BigInteger.valueOf(factor));
        if (units.bitLength() > 64) {
            throw new IllegalArgumentException("timestamp " + nanos + " ns cannot be represented in"
                    + " 64 bits with if_tsresol " + String.format("0x%02X", raw) + "; use"
                    + " InterfaceDescription.TSRESOL_NANOS (9), which reaches the year 2554");
        }
        return units.longValue();
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }
}
