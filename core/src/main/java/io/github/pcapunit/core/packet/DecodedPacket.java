package io.github.pcapunit.core.packet;

import io.github.pcapunit.core.packet.internal.DecodedPackets;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.LinkType;

import io.github.pcapunit.core.packet.internal.Addresses;
import io.github.pcapunit.core.packet.internal.IcmpNames;
import io.github.pcapunit.core.packet.internal.PacketDecoder;
import io.github.pcapunit.core.packet.internal.PacketFields;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One captured packet with its headers decoded: frame data (number, time, interface,
 * direction, lengths), IP (version, addresses, TTL/hop limit, fragment), transport (ports, TCP
 * flags, sequence/ack numbers, window) and ICMP (type, code, echo id/seq, and for errors the
 * quoted original packet). Immutable.
 *
 * <p>Decoding never throws: a packet cut short by the snap length is {@link #isTruncated()},
 * one with impossible header values is {@link #isMalformed()}, and {@link #problem()} says
 * why. Fields that a packet does not have are {@code -1} (numbers) or empty.
 *
 * <pre>{@code
 * CapturedTraffic traffic = CapturedTraffic.read(Path.of("db.pcapng"));
 * try (Stream<DecodedPacket> packets = traffic.packets()) {
 *     packets.filter(p -> p.isSyn() && p.destinationPort() == 1433)
 *            .forEach(p -> System.out.println(p.summary()));
 *     // TCP 10.0.1.10:50122 → 10.0.1.20:1433 [SYN] seq=1234 win=64240 len=0 ttl=64
 * }
 * }</pre>
 */
public final class DecodedPacket {

    static {
        DecodedPackets.install(new DecodedPackets.Bridge() {
            @Override
            public DecodedPacket wrap(PacketFields fields) {
                return new DecodedPacket(fields);
            }

            @Override
            public PacketFields fields(DecodedPacket packet) {
                return packet.f;
            }
        });
    }

    private final PacketFields f;

    private DecodedPacket(PacketFields fields) {
        this.f = fields;
    }

    /**
     * Decodes one frame of the given link type. Frame number 0, time the epoch, direction
     * unknown — for packets that do not come from a file.
     *
     * <pre>{@code DecodedPacket p = DecodedPacket.decode(bytes, LinkType.ETHERNET);}</pre>
     */
    public static DecodedPacket decode(byte[] frame, LinkType linkType) {
        Objects.requireNonNull(frame, "frame");
        PacketFields fields = new PacketFields();
        fields.capturedLength = frame.length;
        fields.originalLength = frame.length;
        PacketDecoder.decode(frame, 0, frame.length, linkType.value(), fields);
        return new DecodedPacket(fields);
    }

    /** Frame number in the file, 1-based as in Wireshark. */
    public long frameNumber() {
        return f.frameNumber;
    }

    /** Capture timestamp (nanosecond precision where the file has it). */
    public Instant time() {
        return Instant.ofEpochSecond(Math.floorDiv(f.epochNanos, 1_000_000_000L),
                Math.floorMod(f.epochNanos, 1_000_000_000L));
    }

    /** Index of the interface in the file (pcapng IDB number; 0 for classic pcap). */
    public int interfaceId() {
        return f.interfaceId;
    }

    /** The interface's name, if the file records it ({@code if_name}). */
    public Optional<String> interfaceName() {
        return Optional.ofNullable(f.interfaceName);
    }

    /** Direction from {@code epb_flags}, or from the LINUX_SLL/SLL2 packet type. */
    public Direction direction() {
        return f.direction;
    }

    /** The link-layer header type of the frame. */
    public LinkType linkType() {
        return LinkType.of(f.linkType);
    }

    /** Bytes present in the file. */
    public int capturedLength() {
        return f.capturedLength;
    }

    /** Bytes on the wire. */
    public int originalLength() {
        return f.originalLength;
    }

    /** 4 or 6, or 0 for a non-IP packet. */
    public int ipVersion() {
        return f.ipVersion;
    }

    /** Source IP address; empty for non-IP packets. */
    public Optional<InetAddress> sourceAddress() {
        return f.ipVersion == 0 ? Optional.empty() : Optional.of(Addresses.of(f.src, f.addressLength()));
    }

    /** Destination IP address; empty for non-IP packets. */
    public Optional<InetAddress> destinationAddress() {
        return f.ipVersion == 0 ? Optional.empty() : Optional.of(Addresses.of(f.dst, f.addressLength()));
    }

    /** TTL (IPv4) or hop limit (IPv6); -1 without IP. */
    public int ttl() {
        return f.ttl;
    }

    /** The transport protocol. */
    public IpProtocol protocol() {
        return IpProtocol.ofNumber(f.protocol);
    }

    /** IP protocol number (IPv6: the last next-header); -1 without IP. */
    public int protocolNumber() {
        return f.protocol;
    }

    /** Whether the packet is an IP fragment (first or later). */
    public boolean isFragment() {
        return f.fragment;
    }

    /** Source port (TCP/UDP); -1 otherwise. */
    public int sourcePort() {
        return f.srcPort;
    }

    /** Destination port (TCP/UDP); -1 otherwise. */
    public int destinationPort() {
        return f.dstPort;
    }

    /** The TCP/UDP flow this packet travels on, source to destination as sent. */
    public Optional<Flow> flow() {
        if (f.ipVersion == 0 || f.srcPort < 0) {
            return Optional.empty();
        }
        int len = f.addressLength();
        return Optional.of(Flow.of(protocol(), Endpoint.of(Addresses.of(f.src, len), f.srcPort),
                Endpoint.of(Addresses.of(f.dst, len), f.dstPort)));
    }

    /** TCP flag bits (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, ...); 0 otherwise. */
    public int tcpFlags() {
        return f.tcpFlags;
    }

    /** TCP SYN set. */
    public boolean isSyn() {
        return f.has(PacketFields.SYN);
    }

    /** TCP ACK set. */
    public boolean isAck() {
        return f.has(PacketFields.ACK);
    }

    /** TCP FIN set. */
    public boolean isFin() {
        return f.has(PacketFields.FIN);
    }

    /** TCP RST set. */
    public boolean isRst() {
        return f.has(PacketFields.RST);
    }

    /** TCP PSH set. */
    public boolean isPsh() {
        return f.has(PacketFields.PSH);
    }

    /** TCP sequence number (unsigned 32-bit); -1 when not TCP. */
    public long sequenceNumber() {
        return f.seq;
    }

    /** TCP acknowledgment number (unsigned 32-bit); -1 when not TCP. */
    public long acknowledgmentNumber() {
        return f.ack;
    }

    /** TCP window (unscaled); -1 when not TCP. */
    public int window() {
        return f.window;
    }

    /** Transport payload length from the IP header lengths; -1 if unknown. */
    public int payloadLength() {
        return f.payloadLength;
    }

    /** ICMP/ICMPv6 type; -1 otherwise. */
    public int icmpType() {
        return f.icmpType;
    }

    /** ICMP/ICMPv6 code; -1 otherwise. */
    public int icmpCode() {
        return f.icmpCode;
    }

    /** Echo identifier; -1 unless echo request/reply. */
    public int icmpIdentifier() {
        return f.icmpId;
    }

    /** Echo sequence number; -1 unless echo request/reply. */
    public int icmpSequence() {
        return f.icmpSeq;
    }

    /** ICMP(v6) echo request. */
    public boolean isEchoRequest() {
        return f.icmpType >= 0 && IcmpNames.isEchoRequest(f.ipVersion, f.icmpType);
    }

    /** ICMP(v6) echo reply. */
    public boolean isEchoReply() {
        return f.icmpType >= 0 && IcmpNames.isEchoReply(f.ipVersion, f.icmpType);
    }

    /** ICMP(v6) destination unreachable. */
    public boolean isUnreachable() {
        return f.icmpType >= 0 && IcmpNames.isUnreachable(f.ipVersion, f.icmpType);
    }

    /**
     * For ICMP errors (unreachable, time exceeded, packet too big, ...): the original packet the
     * error quotes, decoded as far as it is present (IP header and ports).
     */
    public Optional<DecodedPacket> icmpOriginal() {
        if (!f.hasInner || f.inner == null) {
            return Optional.empty();
        }
        PacketFields in = f.inner;
        in.frameNumber = f.frameNumber;
        in.epochNanos = f.epochNanos;
        in.interfaceId = f.interfaceId;
        in.interfaceName = f.interfaceName;
        return Optional.of(new DecodedPacket(in));
    }

    /** The frame was cut short (snap length, or an ICMP quote) before a header ended. */
    public boolean isTruncated() {
        return f.truncated;
    }

    /** A header carried impossible values (bad version, length below minimum, ...). */
    public boolean isMalformed() {
        return f.malformed;
    }

    /** Why the packet is truncated or malformed. */
    public Optional<String> problem() {
        return Optional.ofNullable(f.problem);
    }

    /**
     * One line: protocol, endpoints, flags and lengths, e.g.
     * {@code TCP 10.0.1.10:50122 → 10.0.1.20:1433 [SYN] seq=0 win=64240 len=0 ttl=64}.
     */
    public String summary() {
        return io.github.pcapunit.core.packet.internal.Summaries.summary(f);
    }


    @Override
    public String toString() {
        return "#" + f.frameNumber + " " + summary();
    }
}
