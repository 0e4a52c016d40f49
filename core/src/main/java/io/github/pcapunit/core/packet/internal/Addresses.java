package io.github.pcapunit.core.packet.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/** Conversions of raw address bytes; no DNS lookups ever. */
public final class Addresses {

    private Addresses() {
    }

    /** The address in {@code raw[0..len)} ({@code len} 4 or 16). */
    public static InetAddress of(byte[] raw, int len) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(raw, len));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address length " + len, e);
        }
    }

    /** Text of the address in {@code raw[0..len)}, as {@link InetAddress#getHostAddress()}. */
    public static String text(byte[] raw, int len) {
        return appendText(new StringBuilder(len == 4 ? 15 : 39), raw, len).toString();
    }

    /**
     * Appends {@link #text}'s text to {@code s}, without allocating: the text format writes a
     * million of these.
     *
     * <pre>{@code Addresses.appendText(line, f.src, f.addressLength());}</pre>
     */
    public static StringBuilder appendText(StringBuilder s, byte[] raw, int len) {
        if (len == 4) {
            return s.append(raw[0] & 0xff).append('.').append(raw[1] & 0xff).append('.').append(raw[2] & 0xff)
                    .append('.').append(raw[3] & 0xff);
        }
        return ipv6(s, raw);
    }

    /** RFC 5952 text: lower-case hex, the longest run (2+) of zero groups as "::". */
    private static StringBuilder ipv6(StringBuilder s, byte[] raw) {
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(raw, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(raw, j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        int from = s.length();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > from && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            hex(s, group(raw, i));
        }
        return s;
    }

    private static int group(byte[] raw, int i) {
        return ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
    }

    /** {@code Integer.toHexString(v)} for 0..0xFFFF, appended. */
    private static void hex(StringBuilder s, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int d = (v >>> shift) & 0xF;
            if (d != 0 || started || shift == 0) {
                s.append(Character.forDigit(d, 16));
                started = true;
            }
        }
    }

    /** {@code addr:port}, brackets for IPv6, bare address when {@code port < 0}. */
    public static String endpoint(byte[] raw, int len, int port) {
        return appendEndpoint(new StringBuilder(len == 4 ? 21 : 47), raw, len, port).toString();
    }

    /** Appends {@link #endpoint}'s text to {@code s}. */
    public static StringBuilder appendEndpoint(StringBuilder s, byte[] raw, int len, int port) {
        if (port < 0) {
            return appendText(s, raw, len);
        }
        if (len == 16) {
            return appendText(s.append('['), raw, len).append("]:").append(port);
        }
        return appendText(s, raw, len).append(':').append(port);
    }

    /** {@code address} as an IPv4/IPv6 literal (brackets allowed); no DNS lookup. */
    public static InetAddress parseLiteral(String address) {
        Objects.requireNonNull(address, "address");
        String a = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        boolean literal = !a.isEmpty() && (a.indexOf(':') >= 0 || a.chars().allMatch(
                c -> (c >= '0' && c <= '9') || c == '.'));
        if (!literal) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address literal:"
                    + " use a numeric address such as \"10.0.1.20\" or \"::1\" (no host names)");
        }
        try {
            return InetAddress.getByName(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address literal:"
                    + " use a numeric address such as \"10.0.1.20\" or \"::1\"", e);
        }
    }
}
