package io.github.pcapunit.core.packet.internal;

import io.github.pcapunit.core.pcapng.Direction;

/**
 * Mutable, reusable result of decoding one packet: {@link PacketDecoder} overwrites it for each
 * packet so a walk over a capture allocates nothing per packet. Addresses are kept as raw bytes
 * (4 or 16 used). Unset numeric fields are {@code -1}.
 */
public final class PacketFields {

    /** TCP flag bits as in the header. */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    // frame (filled by the caller of the decoder)
    public long frameNumber;
    public long epochNanos;
    public int interfaceId;
    public String interfaceName;
    public Direction direction = Direction.UNKNOWN;
    public int capturedLength;
    public int originalLength;

    // link
    public int linkType;
    /** EtherType (or equivalent) of the network layer, -1 if unknown. */
    public int etherType;
    /** Interface index from LINUX_SLL2 / NFLOG, -1 if none. */
    public int linkIfIndex;

    // network
    public int ipVersion;
    public final byte[] src = new byte[16];
    public final byte[] dst = new byte[16];
    public int ttl;
    /** IP protocol / final next header; -1 when no IP header was read. */
    public int protocol;
    public boolean fragment;
    /** Non-first fragment: no transport header present. */
    public boolean laterFragment;
    public int ipTotalLength;

    // transport
    public int srcPort;
    public int dstPort;
    public int tcpFlags;
    public long seq;
    public long ack;
    public int window;
    /** Transport payload length from the IP lengths (not limited by snaplen); -1 unknown. */
    public int payloadLength;

    // ICMP
    public int icmpType;
    public int icmpCode;
    public int icmpId;
    public int icmpSeq;
    /** The original packet quoted by an ICMP error, decoded; valid when {@link #hasInner}. */
    public PacketFields inner;
    public boolean hasInner;

    // quality
    public boolean truncated;
    public boolean malformed;
    public String problem;

    public PacketFields() {
        reset();
    }

    /** Clears the decoded fields (not the frame fields set by the caller). */
    public void reset() {
        linkType = -1;
        etherType = -1;
        linkIfIndex = -1;
        ipVersion = 0;
        ttl = -1;
        protocol = -1;
        fragment = false;
        laterFragment = false;
        ipTotalLength = -1;
        srcPort = -1;
        dstPort = -1;
        tcpFlags = 0;
        seq = -1;
        ack = -1;
        window = -1;
        payloadLength = -1;
        icmpType = -1;
        icmpCode = -1;
        icmpId = -1;
        icmpSeq = -1;
        hasInner = false;
        truncated = false;
        malformed = false;
        problem = null;
    }

    /** Whether a TCP flag bit is set. */
    public boolean has(int flag) {
        return (tcpFlags & flag) != 0;
    }

    /** Address length in bytes: 4, 16, or 0 without IP. */
    public int addressLength() {
        return ipVersion == 4 ? 4 : ipVersion == 6 ? 16 : 0;
    }

    /** The inner record, created on first use. */
    PacketFields inner() {
        if (inner == null) {
            inner = new PacketFields();
        }
        inner.reset();
        return inner;
    }

    /** Marks the packet truncated with a reason (first reason wins). */
    void truncated(String why) {
        truncated = true;
        if (problem == null) {
            problem = why;
        }
    }

    /** Marks the packet malformed with a reason (first reason wins). */
    void malformed(String why) {
        malformed = true;
        if (problem == null) {
            problem = why;
        }
    }

    /** A deep copy (the inner record included), for keeping past the next decode. */
    public PacketFields copy() {
        PacketFields c = new PacketFields();
        c.frameNumber = frameNumber;
        c.epochNanos = epochNanos;
        c.interfaceId = interfaceId;
        c.interfaceName = interfaceName;
        c.direction = direction;
        c.capturedLength = capturedLength;
        c.originalLength = originalLength;
        c.linkType = linkType;
        c.etherType = etherType;
        c.linkIfIndex = linkIfIndex;
        c.ipVersion = ipVersion;
        System.arraycopy(src, 0, c.src, 0, 16);
        System.arraycopy(dst, 0, c.dst, 0, 16);
        c.ttl = ttl;
        c.protocol = protocol;
        c.fragment = fragment;
        c.laterFragment = laterFragment;
        c.ipTotalLength = ipTotalLength;
        c.srcPort = srcPort;
        c.dstPort = dstPort;
        c.tcpFlags = tcpFlags;
        c.seq = seq;
        c.ack = ack;
        c.window = window;
        c.payloadLength = payloadLength;
        c.icmpType = icmpType;
        c.icmpCode = icmpCode;
        c.icmpId = icmpId;
        c.icmpSeq = icmpSeq;
        c.hasInner = hasInner;
        if (hasInner && inner != null) {
            c.inner = inner.copy();
        }
        c.truncated = truncated;
        c.malformed = malformed;
        c.problem = problem;
        return c;
    }
}
