package io.github.pcapunit.core.capture.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The engine's own marker datagrams, which tell when a capture has written everything sent before
 * a point in time. A marker is a UDP datagram from 127.0.0.1 to itself (one socket per network
 * namespace, bound to an ephemeral port and receiving what it sends, so no ICMP error follows)
 * whose payload starts with {@link #MAGIC} and a sequence number. A handle on {@code lo} or
 * {@code any} compiles {@code (marker) or (user filter)}, so it captures the marker whatever the
 * user's filter; once the marker is in the handle's native file, every packet the kernel queued to
 * that handle before it is there too (the ring is read in order). The conversion never writes a
 * marker and the statistics do not count them.
 *
 * <p>With TPACKET_V3 the kernel hands a ring block to user space when it is full or when the read
 * timeout expires; {@link #send(boolean)} with fillers appends two 64 KiB datagrams after the
 * marker, which do not both fit in the rest of a 256 KiB block (each is queued twice on
 * loopback: outgoing and incoming), so the block holding the marker is handed over at once
 * instead of up to a read timeout later.
 *
 * <pre>{@code
 * Marker m = Marker.open();                     // on a thread inside the namespace to mark
 * String filter = m.filter("tcp port 80");      // "(udp src port P and ... ) or (tcp port 80)"
 * long seq = m.send(true);                      // marker + fillers: datagrams sent
 * boolean mine = Marker.sequence(linkType, data, off, len) == seq;
 * }</pre>
 */
final class Marker implements AutoCloseable {

    /** "pcapunit" in ASCII: the first eight payload bytes of every marker and filler. */
    static final long MAGIC = 0x7063617075_6e6974L;
    /** Sequence number of a filler (never awaited). */
    static final long FILLER = -1;
    /** UDP payload of a filler: the largest IPv4 datagram loopback carries unfragmented. */
    static final int FILLER_PAYLOAD = 65_507;
    /** Fillers sent after a marker: 2 x 2 queued copies of ~64 KiB cannot all fit in a 256 KiB block with it. */
    static final int FILLERS = 2;
    /** Snaplen below which fillers cannot fill a block (they are cut to the snaplen): wait for the timeout. */
    static final int FILLER_MIN_SNAPLEN = 65_600;
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    private final DatagramChannel channel;
    private final InetSocketAddress self;
    private final ByteBuffer marker = ByteBuffer.allocate(16);
    private final ByteBuffer filler = ByteBuffer.allocateDirect(FILLER_PAYLOAD);
    private final ByteBuffer drain = ByteBuffer.allocateDirect(FILLER_PAYLOAD + 1);

    private Marker(DatagramChannel channel) throws IOException {
        this.channel = channel;
        this.self = (InetSocketAddress) channel.getLocalAddress();
        filler.putLong(MAGIC).putLong(FILLER);
        filler.position(0);
    }

    /** Opens a marker socket in the calling thread's network namespace. */
    static Marker open() {
        DatagramChannel c = null;
        try {
            c = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
            c.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            c.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
            c.configureBlocking(false);
            return new Marker(c);
        } catch (IOException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    e.addSuppressed(ignored);
                }
            }
            throw new UncheckedIOException("cannot open the capture's marker socket on 127.0.0.1: " + e, e);
        }
    }

    /** As {@link #open()}, or null when no socket can be had (the handles then wait for the read timeout). */
    static Marker openQuietly() {
        try {
            return open();
        } catch (UncheckedIOException | SecurityException e) {
            return null;
        }
    }

    /**
     * The filter a handle seeing this socket's markers compiles: the marker first, so e.g. a
     * user's "vlan" shifts only its own part. Only this socket's port matches (markers of other
     * captures are not counted), and the UDP length is checked before the payload is read: a
     * classic BPF load past the end of a short packet rejects it, even if the user's part of the
     * filter would have matched.
     */
    String filter(String userFilter) {
        if (userFilter == null) {
            return null;
        }
        int port = self.getPort();
        return "(udp src port " + port + " and udp dst port " + port + " and src host 127.0.0.1"
                + " and dst host 127.0.0.1 and udp[4:2] >= 24 and udp[8:4] = 0x" + Long.toHexString(MAGIC >>> 32)
                + " and udp[12:4] = 0x" + Long.toHexString(MAGIC & 0xffffffffL) + ") or (" + userFilter + ")";
    }

    /**
     * Sends a marker, and {@link #FILLERS} fillers when {@code fillers}; drains what the socket
     * received, so nothing is dropped at its buffer.
     *
     * @return the marker's sequence number
     */
    synchronized long send(boolean fillers) {
        long seq = SEQUENCE.incrementAndGet();
        try {
            marker.clear();
            marker.putLong(MAGIC).putLong(seq).flip();
            channel.send(marker, self);
            drain();
            for (int i = 0; fillers && i < FILLERS; i++) {
                filler.clear();
                channel.send(filler, self);
                drain();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send the capture's marker datagram to " + self + ": " + e, e);
        }
        return seq;
    }

    /** Sends the {@link #FILLERS} fillers alone: they push out the ring block of a marker sent before. */
    synchronized void sendFillers() {
        try {
            for (int i = 0; i < FILLERS; i++) {
                filler.clear();
                channel.send(filler, self);
                drain();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send the capture's filler datagrams to " + self + ": " + e, e);
        }
    }

    /** Datagrams one {@link #send(boolean)} sends. */
    static int datagrams(boolean fillers) {
        return 1 + (fillers ? FILLERS : 0);
    }

    private void drain() throws IOException {
        do {
            drain.clear();
        } while (channel.receive(drain) != null);
    }

    /**
     * The sequence number of the marker or filler in this captured packet, or
     * {@link Long#MIN_VALUE} when it is none: IPv4 UDP from 127.0.0.1 to 127.0.0.1 whose payload
     * starts with {@link #MAGIC}.
     */
    static long sequence(int linkType, byte[] data, int off, int len) {
        int ip = ipOffset(linkType, data, off, len);
        if (ip < 0 || len - ip < 20 + 8 + 16) {
            return Long.MIN_VALUE;
        }
        int p = off + ip;
        int ihl = (data[p] & 0x0f) * 4;
        if ((data[p] & 0xf0) != 0x40 || data[p + 9] != 17 || ihl < 20 || len - ip < ihl + 8 + 16
                || getInt(data, p + 12) != 0x7f000001 || getInt(data, p + 16) != 0x7f000001) {
            return Long.MIN_VALUE;
        }
        int payload = p + ihl + 8;
        if (getLong(data, payload) != MAGIC) {
            return Long.MIN_VALUE;
        }
        return getLong(data, payload + 8);
    }

    /** Offset of the IPv4 header for the link types a loopback capture has, or -1. */
    private static int ipOffset(int linkType, byte[] d, int off, int len) {
        switch (linkType) {
            case 1: // Ethernet (lo)
                return len >= 14 && d[off + 12] == 0x08 && d[off + 13] == 0x00 ? 14 : -1;
            case 276: // LINUX_SLL2 (any)
                return len >= 20 && d[off] == 0x08 && d[off + 1] == 0x00 ? 20 : -1;
            case 113: // LINUX_SLL (any, libpcap before 1.10)
                return len >= 16 && d[off + 14] == 0x08 && d[off + 15] == 0x00 ? 16 : -1;
            case 101: // RAW
            case 12:
            case 14:
                return 0;
            default:
                return -1;
        }
    }

    private static int getInt(byte[] d, int p) {
        return (d[p] & 0xff) << 24 | (d[p + 1] & 0xff) << 16 | (d[p + 2] & 0xff) << 8 | (d[p + 3] & 0xff);
    }

    private static long getLong(byte[] d, int p) {
        return (long) getInt(d, p) << 32 | (getInt(d, p + 4) & 0xffffffffL);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing is lost: the socket only ever received our own markers
        }
    }
}
