package io.github.pcapunit.core.check.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A host ({@code 10.0.1.20}, {@code ::1}) or network ({@code 127.0.0.0/8}, {@code fd00::/8})
 * given as a numeric literal, validated when built so bad input fails before anything runs.
 */
public final class AddressRange {

    private final String text;
    private final byte[] network;
    private final int prefix;

    private AddressRange(String text, byte[] network, int prefix) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses {@code text}; {@code what} names the parameter in the error.
     *
     * @throws IllegalArgumentException naming the bad value and the expected form
     */
    public static AddressRange parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is " + (text == null ? "null" : "blank")
                    + ": pass a numeric IP address or network, e.g. \"127.0.0.1\", \"::1\" or \"10.200.0.0/16\"");
        }
        String t = text.strip();
        int slash = t.indexOf('/');
        String host = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = literal(host, text, what);
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(what + " \"" + text + "\" has an invalid prefix length: use 0.."
                        + max + ", e.g. \"" + host + "/" + (max == 32 ? 24 : 64) + "\"");
            }
        }
        return new AddressRange(t, bytes, prefix);
    }

    private static byte[] literal(String host, String text, String what) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean numeric = !h.isEmpty() && (h.indexOf(':') >= 0
                || h.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.') && h.chars().filter(c -> c == '.')
                        .count() == 3);
        if (numeric) {
            try {
                return InetAddress.getByName(h).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(what + " \"" + text + "\" is not a valid IP address: pass a"
                        + " numeric address or network, e.g. \"127.0.0.1\" or \"10.200.0.0/16\"", e);
            }
        }
        throw new IllegalArgumentException(what + " \"" + text + "\" is not a numeric IP address or network"
                + " (host names are not resolved): pass e.g. \"127.0.0.1\", \"::1\" or \"10.200.0.0/16\"");
    }

    /** Whether {@code address} lies in this range (IPv4 and IPv6 never match each other). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    /** As the caller wrote it (trimmed). */
    @Override
    public String toString() {
        return text;
    }
}
