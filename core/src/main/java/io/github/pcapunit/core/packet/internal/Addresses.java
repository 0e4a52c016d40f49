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
        if (len == 4) {
            return (raw[0] & 0xff) + "." + (raw[1] & 0xff) + "." + (raw[2] & 0xff) + "." + (raw[3] & 0xff);
        }
        return ipv6(raw);
    }

    /** RFC 5952 text: lower-case hex, the longest run (2+) of zero groups as "::". */
    private static String ipv6(byte[] raw) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** {@code addr:port}, brackets for IPv6, bare address when {@code port < 0}. */
    public static String endpoint(byte[] raw, int len, int port) {
        String a = text(raw, len);
        if (port < 0) {
            return a;
        }
        return (len == 16 ? "[" + a + "]" : a) + ":" + port;
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
