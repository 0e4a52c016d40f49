package io.github.pcapunit.assertions.synthetic;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Ethernet/IPv4/TCP/UDP/ICMP frames built byte by byte, checksums included, so a synthetic
 * capture decodes in pcapunit and in Wireshark alike. No packet library: the bytes are the spec.
 *
 * <pre>{@code byte[] syn = Frames.ipv4Frame(Frames.TCP, "10.200.1.10", "10.200.1.20",
 *         Frames.tcp(50122, 1433, 1000, 0, Frames.SYN, 0));}</pre>
 */
final class Frames {

    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final byte[] CLIENT_MAC = {0x02, 0, 0, 0, 0, 0x0a};
    private static final byte[] SERVER_MAC = {0x02, 0, 0, 0, 0, 0x14};

    private Frames() {
    }

    /** An Ethernet frame carrying an IPv4 packet from {@code src} to {@code dst} (TTL 64). */
    static byte[] ipv4Frame(int protocol, String src, String dst, byte[] transport) {
        return ipv4Frame(protocol, src, dst, transport, 64);
    }

    /** An Ethernet frame carrying an IPv4 packet from {@code src} to {@code dst} that arrived with {@code ttl}. */
    static byte[] ipv4Frame(int protocol, String src, String dst, byte[] transport, int ttl) {
        byte[] ip = ipv4(protocol, src, dst, transport, ttl);
        return new Bytes().raw(SERVER_MAC).raw(CLIENT_MAC).u16(ETHERTYPE_IPV4).raw(ip).build();
    }

    /**
     * An Ethernet frame carrying an IPv6 packet (no extension headers) with {@code hopLimit};
     * {@code protocol} TCP, UDP or {@link #ICMPV6}, whose checksum covers the pseudo-header.
     */
    static byte[] ipv6Frame(int protocol, String src, String dst, byte[] transport, int hopLimit) {
        byte[] s = address(src);
        byte[] d = address(dst);
        byte[] payload = transport.clone();
        int checksumAt = protocol == TCP ? 16 : protocol == UDP ? 6 : protocol == ICMPV6 ? 2 : -1;
        if (checksumAt >= 0) {
            putU16(payload, checksumAt, 0);
            byte[] pseudo = new Bytes().raw(s).raw(d).u32(payload.length).u16(0).u8(0).u8(protocol).raw(payload)
                    .build();
            putU16(payload, checksumAt, checksum(pseudo));
        }
        byte[] ip = new Bytes().u32(0x60000000L).u16(payload.length).u8(protocol).u8(hopLimit).raw(s).raw(d)
                .raw(payload).build();
        return new Bytes().raw(SERVER_MAC).raw(CLIENT_MAC).u16(0x86dd).raw(ip).build();
    }

    /** An ICMPv6 message (checksum filled in by {@link #ipv6Frame}). */
    static byte[] icmpv6(int type, int code, byte[] body) {
        return new Bytes().u8(type).u8(code).u16(0).raw(body).build();
    }

    /** An IPv4 packet (20-byte header, DF set, TTL 64) whose TCP/UDP checksum covers the pseudo-header. */
    static byte[] ipv4(int protocol, String src, String dst, byte[] transport) {
        return ipv4(protocol, src, dst, transport, 64);
    }

    /** An IPv4 packet (20-byte header, DF set) with {@code ttl}. */
    static byte[] ipv4(int protocol, String src, String dst, byte[] transport, int ttl) {
        byte[] s = address(src);
        byte[] d = address(dst);
        byte[] payload = transport.clone();
        int checksumAt = protocol == TCP ? 16 : protocol == UDP ? 6 : -1;
        if (checksumAt >= 0) {
            byte[] pseudo = new Bytes().raw(s).raw(d).u8(0).u8(protocol).u16(payload.length).raw(payload).build();
            putU16(payload, checksumAt, checksum(pseudo));
        }
        byte[] header = new Bytes().u8(0x45).u8(0).u16(20 + payload.length).u16(0x1234).u16(0x4000)
                .u8(ttl).u8(protocol).u16(0).raw(s).raw(d).build();
        putU16(header, 10, checksum(header));
        return new Bytes().raw(header).raw(payload).build();
    }

    /** A TCP segment (20-byte header, window 64240) with {@code payload} bytes of 'x'. */
    static byte[] tcp(int sport, int dport, long seq, long ack, int flags, int payload) {
        return new Bytes().u16(sport).u16(dport).u32(seq).u32(ack).u8(5 << 4).u8(flags).u16(64240)
                .u16(0).u16(0).raw("x".repeat(payload).getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .build();
    }

    /** A UDP datagram with {@code payload} zero bytes. */
    static byte[] udp(int sport, int dport, int payload) {
        return new Bytes().u16(sport).u16(dport).u16(8 + payload).u16(0).raw(new byte[payload]).build();
    }

    /** An ICMP echo request (type 8) or reply (type 0) with 8 bytes of data. */
    static byte[] icmpEcho(int type, int id, int seq) {
        return icmp(new Bytes().u8(type).u8(0).u16(0).u16(id).u16(seq).raw(new byte[8]).build());
    }

    /** An ICMP error (e.g. type 3 code 3, port unreachable) quoting {@code original}'s IP header and 8 bytes. */
    static byte[] icmpError(int type, int code, byte[] originalIpPacket) {
        byte[] quoted = java.util.Arrays.copyOf(originalIpPacket, Math.min(originalIpPacket.length, 28));
        return icmp(new Bytes().u8(type).u8(code).u16(0).u32(0).raw(quoted).build());
    }

    private static byte[] icmp(byte[] message) {
        putU16(message, 2, checksum(message));
        return message;
    }

    private static byte[] address(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric address: " + text, e);
        }
    }

    /** The Internet checksum (RFC 1071) of {@code data}. */
    static int checksum(byte[] data) {
        long sum = 0;
        for (int i = 0; i < data.length; i += 2) {
            int hi = data[i] & 0xff;
            int lo = i + 1 < data.length ? data[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** Big-endian byte appender. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int v) {
            out.write(v & 0xff);
            return this;
        }

        Bytes u16(int v) {
            return u8(v >>> 8).u8(v);
        }

        Bytes u32(long v) {
            return u16((int) (v >>> 16)).u16((int) v);
        }

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] build() {
            return out.toByteArray();
        }
    }
}
