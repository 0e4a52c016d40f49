package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.internal.PacketFields;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Folds each IP packet into an {@link Analyzer} once, however many places saw it. A capture at
 * several points (client and server namespaces, {@code <point>/<interface>}), or on {@code any}
 * in a router's namespace, records one forwarded packet once per interface it crossed; counted
 * as often, those copies would look like TCP retransmissions, repeated echo requests or UDP
 * queries. A frame is a copy of an earlier one when it carries the same packet — what forwarding
 * leaves alone, as {@link PacketIdentity} defines it: addresses, protocol, IPv4 identification,
 * lengths and the transport bytes with their checksum zeroed (TTL, IP checksum and link header
 * differ per hop) — at a place (interface, {@code LINUX_SLL2} interface index, direction) where
 * that packet was not yet seen, at most {@link #WINDOW_NANOS} after its last sighting. A frame
 * at a place the packet was already seen is a new packet: a retransmission sent again through
 * the same interface still counts, and is then followed as a packet of its own (as
 * {@code PacketPath} follows it). Copies still count as frames of the file
 * ({@link AnalysisResult#packets}, first and last time, damaged frames); the flow state sees the
 * first sighting only.
 *
 * <pre>{@code
 * PacketCopies once = new PacketCopies(new Analyzer());
 * while (reader.nextPacket()) {
 *     // decode into fields ...
 *     once.accept(reader, fields);        // client/any out: folded; server/any in: a copy, skipped
 * }
 * AnalysisResult wire = once.finish();
 * }</pre>
 */
public final class PacketCopies {

    /** Longest time between two sightings of one packet (as {@code PacketPath}'s hop delay). */
    public static final long WINDOW_NANOS = 1_000_000_000L;

    /**
     * Packets remembered at most: under a flood the oldest are forgotten before the window ends
     * (a copy follows its packet within microseconds to milliseconds), so memory stays bounded.
     */
    static final int MAX_REMEMBERED = 1 << 16;

    /** Transport bytes hashed: headers and the start of the payload, alike at every hop whatever the snap length. */
    static final int HASHED_TRANSPORT_BYTES = 128;

    private static final int ETHERNET = 1;
    private static final int SLL = 113;
    private static final int SLL2 = 276;

    private final Analyzer analyzer;
    private final Map<Seen, Seen> open = new HashMap<>();
    /** The identity of the frame at hand, reused for lookups (a walk allocates only for new packets). */
    private final Seen probe = new Seen();
    private final ArrayDeque<Seen> byAge = new ArrayDeque<>();
    private final CRC32C crc = new CRC32C();
    private long copies;
    private long copiesTruncated;
    private long copiesMalformed;
    private long copiesFirstNanos = Long.MAX_VALUE;
    private long copiesLastNanos = Long.MIN_VALUE;

    public PacketCopies(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    /**
     * Folds the reader's current packet, decoded into {@code f}, into the analyzer unless it is a
     * copy of a packet already folded.
     */
    public void accept(PcapReader r, PacketFields f) {
        if (f.ipVersion == 0 || !copiesPossible(r, f)) {
            analyzer.accept(f);
            return;
        }
        if (isCopy(r.payloadArray(), r.payloadOffset(), r.capturedLength(), f)) {
            copied(f);
            return;
        }
        analyzer.accept(f);
    }

    /**
     * {@link #accept(PcapReader, PacketFields)} for a packet no longer under the reader: its frame
     * is {@code b[off, off+len)}, decoded in {@code f}, and {@code severalInterfaces} says whether
     * its section had more than one interface when it was read. For an analysis on another thread
     * than the reader; same result.
     */
    public void accept(PacketFields f, byte[] b, int off, int len, boolean severalInterfaces) {
        if (f.ipVersion == 0 || !(f.linkType == SLL || f.linkType == SLL2 || severalInterfaces)) {
            analyzer.accept(f);
            return;
        }
        if (isCopy(b, off, len, f)) {
            copied(f);
            return;
        }
        analyzer.accept(f);
    }

    private void copied(PacketFields f) {
        copies++;
        copiesTruncated += f.truncated ? 1 : 0;
        copiesMalformed += f.malformed ? 1 : 0;
        copiesFirstNanos = Math.min(copiesFirstNanos, f.epochNanos);
        copiesLastNanos = Math.max(copiesLastNanos, f.epochNanos);
    }

    /** Frames skipped as copies so far. */
    public long copies() {
        return copies;
    }

    /** The analyzer's result, its frame counts and times including the copies. */
    public AnalysisResult finish() {
        AnalysisResult r = analyzer.finish();
        if (copies == 0) {
            return r;
        }
        long first = r.firstNanos < 0 ? copiesFirstNanos : Math.min(r.firstNanos, copiesFirstNanos);
        long last = Math.max(r.lastNanos, copiesLastNanos);
        return new AnalysisResult(r.packets + copies, r.truncated + copiesTruncated, r.malformed + copiesMalformed,
                first, last, r.tcp, r.udp, r.echoes, r.echoRequests, r.echoReplies, r.unansweredEchoesNotKept,
                r.unreachable, r.destinations);
    }

    /**
     * Only a file with several interfaces, or a cooked ({@code any}) capture, can hold one packet
     * twice; a plain single-interface capture pays nothing.
     */
    private boolean copiesPossible(PcapReader r, PacketFields f) {
        if (f.linkType == SLL || f.linkType == SLL2) {
            return true;
        }
        return r.interfaceCount() > 1; // the section's interfaces so far, as the two-thread scan sees them
    }

    /** Whether the frame {@code b[off, off+len)} is a copy; if not, it is remembered as a new packet. */
    boolean isCopy(byte[] b, int off, int len, PacketFields f) {
        if (!identify(b, off, len, f.linkType, probe)) {
            return false;
        }
        long now = f.epochNanos;
        expire(now);
        long place = ((long) f.interfaceId << 34) ^ ((f.linkIfIndex & 0xffffffffL) << 2) ^ f.direction.ordinal();
        Seen seen = open.get(probe);
        if (seen != null && !seen.at(place) && Math.abs(now - seen.lastNanos) <= WINDOW_NANOS) {
            seen.add(place, now);
            return true;
        }
        Seen fresh = new Seen(probe.head, probe.body, place, now);
        open.put(fresh, fresh);
        byAge.addLast(fresh);
        return false;
    }

    /**
     * Forgets packets not seen for longer than the window (their later copies are new packets
     * anyway), and the oldest beyond {@link #MAX_REMEMBERED}.
     */
    private void expire(long now) {
        for (Seen s = byAge.peekFirst(); s != null && (now - s.lastNanos > WINDOW_NANOS
                || byAge.size() >= MAX_REMEMBERED); s = byAge.peekFirst()) {
            byAge.pollFirst();
            if (open.get(s) == s) { // a later packet with the same identity may have taken its place
                open.remove(s);
            }
        }
    }

    /** Sets {@code into} to the packet's identity; false when the frame holds no complete IP header. */
    private boolean identify(byte[] b, int off, int len, int linkType, Seen into) {
        int end = off + len;
        int ip = ipOffset(b, off, end, linkType);
        if (ip < 0 || ip >= end) {
            return false;
        }
        int version = (b[ip] & 0xff) >> 4;
        if (version == 4 && end >= ip + 20) {
            int ihl = (b[ip] & 0x0f) * 4;
            int total = u16(b, ip + 2);
            if (ihl < 20 || ip + ihl > end) {
                return false;
            }
            int protocol = b[ip + 9] & 0xff;
            long head = mix(4L << 56 | (long) protocol << 48 | (u16(b, ip + 6) & 0x1fffL) << 32 | u32(b, ip + 12));
            head = mix(head ^ u32(b, ip + 16));
            long transport = transportCrc(b, ip + ihl, Math.min(end, ip + Math.max(total, ihl)), protocol);
            into.set(head, transport << 32 | (long) u16(b, ip + 4) << 16 | total);
            return true;
        }
        if (version == 6 && end >= ip + 40) {
            int payload = u16(b, ip + 4);
            int next = b[ip + 6] & 0xff;
            long flow = ((b[ip + 1] & 0x0fL) << 16) | u16(b, ip + 2);
            long head = mix(6L << 56 | (long) next << 48 | flow << 24);
            for (int i = 8; i < 40; i += 4) {
                head = mix(head ^ u32(b, ip + i));
            }
            long transport = transportCrc(b, ip + 40, Math.min(end, ip + 40 + payload), next);
            into.set(head, transport << 32 | payload);
            return true;
        }
        return false;
    }

    /** CRC-32C of the first transport bytes, the checksum counted as zero (a sender's copy may lack it). */
    private long transportCrc(byte[] b, int from, int end, int protocol) {
        int to = Math.min(end, from + HASHED_TRANSPORT_BYTES);
        crc.reset();
        int sum = protocol == 6 ? 16 : protocol == 17 ? 6 : protocol == 1 || protocol == 58 ? 2 : -1;
        if (sum >= 0 && to >= from + sum + 2) {
            crc.update(b, from, sum);
            crc.update(0);
            crc.update(0);
            crc.update(b, from + sum + 2, to - from - sum - 2);
        } else if (to > from) {
            crc.update(b, from, to - from);
        }
        return crc.getValue();
    }

    /** Offset of the IP header in {@code b[off, end)} of this link type, or -1 when it carries none. */
    private static int ipOffset(byte[] b, int off, int end, int linkType) {
        switch (linkType) {
            case ETHERNET: {
                int p = off + 12;
                int type = end >= off + 14 ? u16(b, p) : -1;
                while ((type == 0x8100 || type == 0x88a8) && end >= p + 6) {
                    p += 4;
                    type = u16(b, p);
                }
                return isIp(type) ? p + 2 : -1;
            }
            case SLL:
                return end >= off + 16 && isIp(u16(b, off + 14)) ? off + 16 : -1;
            case SLL2:
                return end >= off + 20 && isIp(u16(b, off)) ? off + 20 : -1;
            case 101: // RAW
            case 228: // IPV4
            case 229: // IPV6
                return off;
            case 0: // NULL
            case 108: // LOOP
                return end >= off + 4 ? off + 4 : -1;
            default:
                return -1;
        }
    }

    private static boolean isIp(int etherType) {
        return etherType == 0x0800 || etherType == 0x86dd;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static long u32(byte[] b, int off) {
        return ((long) u16(b, off) << 16) | u16(b, off + 2);
    }

    /** A 64-bit finalizer (splitmix64): spreads every input bit over the result. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * One packet: its identity (header fields and addresses hashed; CRC of the transport, id and
     * length), where it was seen (usually one to four places) and when last. Equal by identity.
     */
    private static final class Seen {
        long head;
        long body;
        long lastNanos;
        long firstPlace;
        long[] morePlaces;
        int more;

        Seen() {
        }

        Seen(long head, long body, long place, long nanos) {
            this.head = head;
            this.body = body;
            this.firstPlace = place;
            this.lastNanos = nanos;
        }

        void set(long head, long body) {
            this.head = head;
            this.body = body;
        }

        boolean at(long place) {
            if (firstPlace == place) {
                return true;
            }
            for (int i = 0; i < more; i++) {
                if (morePlaces[i] == place) {
                    return true;
                }
            }
            return false;
        }

        void add(long place, long nanos) {
            if (morePlaces == null) {
                morePlaces = new long[3];
            } else if (more == morePlaces.length) {
                morePlaces = Arrays.copyOf(morePlaces, more * 2);
            }
            morePlaces[more++] = place;
            lastNanos = Math.max(lastNanos, nanos);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Seen s && s.head == head && s.body == body;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(head ^ body * 0x9e3779b97f4a7c15L);
        }
    }
}
