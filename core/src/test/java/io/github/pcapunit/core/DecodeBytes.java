package io.github.pcapunit.core;

import java.io.ByteArrayOutputStream;

/** Builds packet bytes by hand for the decoder tests (no library involved). */
public final class DecodeBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static DecodeBytes of() {
        return new DecodeBytes();
    }

    DecodeBytes u8(int v) {
        out.write(v & 0xff);
        return this;
    }

    DecodeBytes u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    DecodeBytes u16le(int v) {
        return u8(v).u8(v >>> 8);
    }

    DecodeBytes u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    DecodeBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    DecodeBytes zeros(int n) {
        return bytes(new byte[n]);
    }

    byte[] build() {
        return out.toByteArray();
    }

    public static byte[] v4(String a) {
        String[] p = a.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(p[i]);
        }
        return b;
    }

    public static byte[] v6(String a) {
        try {
            return java.net.InetAddress.getByName(a).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int window, int payload) {
        return of().u16(sport).u16(dport).u32(seq).u32(ack).u8(5 << 4).u8(flags).u16(window).u16(0).u16(0)
                .zeros(payload).build();
    }

    public static byte[] udp(int sport, int dport, int payload) {
        return of().u16(sport).u16(dport).u16(8 + payload).u16(0).zeros(payload).build();
    }

    public static byte[] icmpEcho(int type, int id, int seq) {
        return of().u8(type).u8(0).u16(0).u16(id).u16(seq).zeros(8).build();
    }

    public static byte[] icmpError(int type, int code, byte[] quoted) {
        return of().u8(type).u8(code).u16(0).u32(0).bytes(quoted).build();
    }

    /** IPv4 header (no options unless {@code options} given) + payload. */
    public static byte[] ipv4(int proto, String src, String dst, int ttl, int fragField, byte[] options, byte[] payload) {
        int ihl = 20 + options.length;
        return of().u8(0x40 | (ihl / 4)).u8(0).u16(ihl + payload.length).u16(0x1234).u16(fragField).u8(ttl)
                .u8(proto).u16(0).bytes(v4(src)).bytes(v4(dst)).bytes(options).bytes(payload).build();
    }

    public static byte[] ipv4(int proto, String src, String dst, byte[] payload) {
        return ipv4(proto, src, dst, 64, 0x4000, new byte[0], payload);
    }

    /** IPv6 header; {@code ext} is the extension-header chain already built, {@code first} its first next-header. */
    public static byte[] ipv6(int first, String src, String dst, int hopLimit, byte[] ext, byte[] payload) {
        return of().u32(0x60000000L).u16(ext.length + payload.length).u8(first).u8(hopLimit).bytes(v6(src))
                .bytes(v6(dst)).bytes(ext).bytes(payload).build();
    }

    public static byte[] ethernet(int etherType, byte[] payload) {
        return of().zeros(12).u16(etherType).bytes(payload).build();
    }
}
