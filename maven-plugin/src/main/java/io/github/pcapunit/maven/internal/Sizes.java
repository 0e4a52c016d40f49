package io.github.pcapunit.maven.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses byte sizes as users write them in a pom: {@code 64MB}, {@code 512KiB}, {@code 1000}.
 * Failures say what is wrong with the value and how to write it; {@link SpecBinder} puts the
 * parameter in front.
 *
 * <pre>{@code
 * Sizes.parse("64MB");   // 67108864
 * }</pre>
 */
public final class Sizes {

    private static final Pattern SIZE =
            Pattern.compile("\\s*(\\d{1,18})\\s*([kmgt]i?b?|b)?\\s*", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * The size in bytes. Units are binary (1 KB = 1 KiB = 1024 bytes), as for buffer sizes
     * everywhere in libpcap and tcpdump.
     *
     * @throws IllegalArgumentException "is not a size: ..." or "is too large: ..."
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a size: use a number of bytes with an"
                    + " optional unit, e.g. 64MB, 512KiB or 1048576");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = "bkmgt".indexOf(unit.charAt(0)) * 10;
        if (shift > 0 && number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("is too large: use at most a few GB");
        }
        return number << shift;
    }

    /**
     * The size in bytes, for options that take an {@code int}.
     *
     * <pre>{@code
     * Sizes.parseInt("32MB");   // 33554432
     * }</pre>
     *
     * @throws IllegalArgumentException as {@link #parse(String)}, or "is 2 GiB or more: ..."
     */
    public static int parseInt(String text) {
        long bytes = parse(text);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("is 2 GiB or more, too large for this option:"
                    + " use a smaller size, e.g. 32MB");
        }
        return (int) bytes;
    }
}
