package io.github.pcapunit.core.internal.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

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
        return of(raw, len).getHostAddress();
    }

    /** {@code addr:port}, brackets for IPv6, bare address when {@code port < 0}. */
    public static String endpoint(byte[] raw, int len, int port) {
        String a = text(raw, len);
        if (port < 0) {
            return a;
        }
        return (len == 16 ? "[" + a + "]" : a) + ":" + port;
    }
}
