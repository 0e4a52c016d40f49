package io.github.pcapunit.maven.internal;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses byte sizes as users write them in a pom: {@code 64MB}, {@code 512KiB}, {@code 1000}. */
public final class Sizes {

    private static final Pattern SIZE =
            Pattern.compile("\\s*(\\d{1,18})\\s*([kmgt]i?b?|b)?\\s*", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * The size in bytes. Units are binary (1 KB = 1 KiB = 1024 bytes), as for buffer sizes
     * everywhere in libpcap and tcpdump.
     *
     * @param parameter the parameter's name, for the message, e.g. {@code maxFileSize}
     * @param property its user property, e.g. {@code capture.maxFileSize}
     * @throws IllegalArgumentException naming parameter, value and the accepted forms
     */
    public static long parse(String parameter, String property, String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException(describe(parameter, property, text)
                    + " is not a size: use a number of bytes with an optional unit,"
                    + " e.g. 64MB, 512KiB or 1048576");
        }
        long number = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift;
        switch (unit.charAt(0)) {
            case 'k': shift = 10; break;
            case 'm': shift = 20; break;
            case 'g': shift = 30; break;
            case 't': shift = 40; break;
            default: shift = 0;
        }
        if (shift > 0 && number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(describe(parameter, property, text)
                    + " is too large: use at most a few GB");
        }
        return number << shift;
    }

    /** {@code <maxFileSize>10 parsecs</maxFileSize> (capture.maxFileSize)}. */
    public static String describe(String parameter, String property, String value) {
        return "<" + parameter + ">" + value + "</" + parameter + "> (" + property + ")";
    }
}
