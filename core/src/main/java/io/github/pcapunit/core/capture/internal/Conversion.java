package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.pcapng.FrameCommenter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Native pcap files (one per interface) to one pcapng: packets of a time window merged in
 * timestamp order with journal entries, direction from the Linux cooked header into
 * {@code epb_flags}, statistics as ISBs, and a size cap that the file never exceeds.
 */
final class Conversion {

    /** Space kept in the section comment for the sentence saying where the cap cut the file. */
    private static final int CUT_SENTENCE_RESERVE = 256;
    private static final int LINUX_SLL = 113;
    private static final int LINUX_SLL2 = 276;
    private static final int PACKET_OUTGOING = 4;
    private static final int LOOPBACK_IFINDEX = loopbackIndex();

    /** One interface's native capture. */
    static final class Source {
        final String name;
        final int linkType;
        final int snaplen;
        final Path pcap;
        final long startOffset;
        final long limit;
        final String filter;
        /** libpcap counters over the window: received, kernel-buffer drops, interface drops. */
        final long[] stats;
        /** The interface's own MAC address (Ethernet: frames from it are outbound), or null. */
        final byte[] ownMac;

        Source(String name, int linkType, int snaplen, Path pcap, long startOffset, long limit, String filter,
                long[] stats) {
            this.name = name;
            this.linkType = linkType;
            this.snaplen = snaplen;
            this.pcap = pcap;
            this.startOffset = startOffset;
            this.limit = limit;
            this.filter = filter;
            this.stats = stats;
            this.ownMac = linkType == 1 ? macOf(name) : null;
        }
    }

    /** What a conversion wrote. */
    static final class Outcome {
        final long[] written;
        final long[] loopback;
        /** Per source: offset of the first record at or after the window's end (for the next window). */
        final long[] resumeOffsets;
        final long truncatedAtNanos;
        final long bytes;

        Outcome(long[] written, long[] loopback, long[] resumeOffsets, long truncatedAtNanos, long bytes) {
            this.written = written;
            this.loopback = loopback;
            this.resumeOffsets = resumeOffsets;
            this.truncatedAtNanos = truncatedAtNanos;
            this.bytes = bytes;
        }
    }

    private Conversion() {
    }

    /**
     * Writes {@code out}.
     *
     * @param fromNanos first timestamp included
     * @param toNanos last timestamp included
     * @param maxBytes size cap of {@code out}, or 0
     * @param alreadyCut when the native capture itself was cut by the cap (nanos), or -1
     * @param commenter comments packets as they are written, or null
     */
    static Outcome convert(Path out, List<Source> sources, long fromNanos, long toNanos, List<JournalFields> journal,
            String sectionComment, String application, long maxBytes, long alreadyCut, FrameCommenter commenter) {
        List<JournalFields> entries = new ArrayList<>();
        for (JournalFields j : journal) {
            if (j.timestampNanos() >= fromNanos && j.timestampNanos() <= toNanos) {
                entries.add(j);
            }
        }
        entries.sort((a, b) -> Long.compare(a.timestampNanos(), b.timestampNanos()));
        try {
            long cutAt = -1;
            int packetsBeforeCut = -1;
            boolean withComments = commenter != null;
            if (maxBytes > 0 || commenter != null) {
                long fixed = shbSize(sectionComment, application) + CUT_SENTENCE_RESERVE
                        + idbsSize(sources) + (long) sources.size() * (28 + 7 * 12 + 4 + 4);
                long room = maxBytes > 0 ? maxBytes - fixed : Long.MAX_VALUE;
                long[] cut = findCut(sources, fromNanos, toNanos, entries, room, commenter);
                cutAt = cut[0];
                packetsBeforeCut = (int) cut[1];
                withComments = commenter != null && (maxBytes <= 0 || cut[2] + cut[3] <= room);
            }
            long truncatedAt = cutAt;
            String comment = sectionComment;
            if (cutAt >= 0) {
                comment += "\nCut by the size cap of " + maxBytes + " bytes at " + instant(cutAt) + " after "
                        + packetsBeforeCut + " packets: later packets were not written.";
            } else if (alreadyCut >= 0) {
                truncatedAt = alreadyCut;
                comment += "\nCut by the size cap of " + maxBytes + " bytes at " + instant(alreadyCut)
                        + ": later packets were not written.";
            }
            return write(out, sources, fromNanos, cutAt >= 0 ? cutAt - 1 : toNanos, entries, comment, application,
                    truncatedAt, toNanos, withComments ? commenter : null);
        } catch (IOException e) {
            throw new CaptureException("cannot write the pcapng file " + out + ": " + e.getMessage(), e);
        }
    }

    private static Outcome write(Path out, List<Source> sources, long fromNanos, long lastNanos,
            List<JournalFields> entries, String comment, String application, long truncatedAt, long windowEnd,
            FrameCommenter commenter) throws IOException {
        int n = sources.size();
        long[] written = new long[n];
        long[] loopback = new long[n];
        long[] resume = new long[n];
        try (PcapngOut w = new PcapngOut(out); Merge merge = new Merge(sources, fromNanos)) {
            w.sectionHeader(comment, System.getProperty("os.arch"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), application);
            for (Source s : sources) {
                w.interfaceDescription(s.linkType, s.snaplen, s.name, s.filter, null);
            }
            int j = 0;
            int i;
            long frame = 0;
            while ((i = merge.peek()) >= 0) {
                NativePcapReader r = merge.readers[i];
                if (r.timestampNanos > lastNanos) {
                    break;
                }
                while (j < entries.size() && entries.get(j).timestampNanos() <= r.timestampNanos) {
                    w.journal(entries.get(j++).exportText());
                    frame++;
                }
                int flags = direction(sources.get(i), r.data, r.capturedLength);
                List<String> comments = commenter == null ? List.of() : commenter.comments(++frame);
                w.enhancedPacket(i, r.timestampNanos, r.data, r.capturedLength, r.originalLength, flags, comments);
                written[i]++;
                if (isLoopback(sources.get(i).linkType, r.data, r.capturedLength)) {
                    loopback[i]++;
                }
                merge.advance(i);
            }
            while (j < entries.size() && entries.get(j).timestampNanos() <= lastNanos) {
                w.journal(entries.get(j++).exportText());
            }
            for (int k = 0; k < n; k++) {
                resume[k] = merge.resumeOffset(k, windowEnd);
            }
            long now = windowEnd;
            for (int k = 0; k < n; k++) {
                long[] st = sources.get(k).stats;
                long received = received(sources.get(k), loopback[k]);
                w.interfaceStatistics(k, now, fromNanos, windowEnd, received, st[2], received, st[1], written[k]);
            }
            return new Outcome(written, loopback, resume, truncatedAt, w.written());
        }
    }

    /**
     * Packets the kernel passed to the capture, without loopback's double count: the kernel counts
     * each loopback packet twice (outgoing and incoming copy) on "lo" and on "any", and libpcap
     * delivers one. On "any" the loopback share is known only for packets written.
     */
    static long received(Source s, long loopbackWritten) {
        long received = s.stats[0];
        if ("lo".equals(s.name)) {
            return received / 2;
        }
        if ("any".equals(s.name)) {
            return Math.max(0, received - loopbackWritten);
        }
        return received;
    }

    /**
     * First timestamp that no longer fits in {@code room} bytes (or -1), packets before it, bytes
     * used and bytes the commenter's comments add; the commenter observes each packet that fits.
     */
    private static long[] findCut(List<Source> sources, long fromNanos, long toNanos, List<JournalFields> entries,
            long room, FrameCommenter commenter) throws IOException {
        long used = 0;
        long packets = 0;
        long frame = 0;
        List<Long> observed = new ArrayList<>();
        int j = 0;
        try (Merge merge = new Merge(sources, fromNanos)) {
            int i;
            while ((i = merge.peek()) >= 0) {
                NativePcapReader r = merge.readers[i];
                if (r.timestampNanos > toNanos) {
                    break;
                }
                while (j < entries.size() && entries.get(j).timestampNanos() <= r.timestampNanos) {
                    used += PcapngOut.journalSize(entries.get(j++).exportText());
                    frame++;
                }
                used += PcapngOut.epbSize(r.capturedLength);
                if (used > room) {
                    return new long[] {r.timestampNanos, packets, used, growth(commenter, observed)};
                }
                packets++;
                frame++;
                if (commenter != null) {
                    commenter.observe(frame, r.timestampNanos, sources.get(i).linkType, r.data, r.capturedLength);
                    observed.add(frame);
                }
                merge.advance(i);
            }
        }
        while (j < entries.size() && entries.get(j).timestampNanos() <= toNanos) {
            used += PcapngOut.journalSize(entries.get(j).exportText());
            if (used > room) {
                return new long[] {entries.get(j).timestampNanos(), packets, used, growth(commenter, observed)};
            }
            j++;
        }
        return new long[] {-1, packets, used, growth(commenter, observed)};
    }

    /** Bytes the comments of the observed frames add to their packet blocks. */
    private static long growth(FrameCommenter commenter, List<Long> frames) {
        long bytes = 0;
        if (commenter != null) {
            for (long f : frames) {
                for (String c : commenter.comments(f)) {
                    bytes += PcapngOut.optionSize(c.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return bytes;
    }

    /**
     * epb_flags direction bits, 1 inbound, 2 outbound: from the Linux cooked header's packet type,
     * or on Ethernet from whether the source MAC is the interface's own; 0 when unknown (loopback).
     */
    static int direction(Source s, byte[] d, int len) {
        int linkType = s.linkType;
        if (linkType == 1) {
            if (s.ownMac == null || len < 12) {
                return 0;
            }
            for (int k = 0; k < 6; k++) {
                if (d[6 + k] != s.ownMac[k]) {
                    return 1;
                }
            }
            return 2;
        }
        int pkttype;
        if (linkType == LINUX_SLL2 && len >= 11) {
            pkttype = d[10] & 0xff;
        } else if (linkType == LINUX_SLL && len >= 2) {
            pkttype = ((d[0] & 0xff) << 8) | (d[1] & 0xff);
        } else {
            return 0;
        }
        return pkttype == PACKET_OUTGOING ? 2 : pkttype <= 3 ? 1 : 0;
    }

    private static boolean isLoopback(int linkType, byte[] d, int len) {
        if (linkType != LINUX_SLL2 || len < 8) {
            return false;
        }
        int ifindex = ((d[4] & 0xff) << 24) | ((d[5] & 0xff) << 16) | ((d[6] & 0xff) << 8) | (d[7] & 0xff);
        return ifindex == LOOPBACK_IFINDEX;
    }

    /** The MAC address of a local interface from sysfs, or null (none, all zeros, or unreadable). */
    static byte[] macOf(String iface) {
        try {
            String text = java.nio.file.Files.readString(Path.of("/sys/class/net", iface, "address")).strip();
            String[] parts = text.split(":");
            if (parts.length != 6) {
                return null;
            }
            byte[] mac = new byte[6];
            boolean zero = true;
            for (int k = 0; k < 6; k++) {
                mac[k] = (byte) Integer.parseInt(parts[k], 16);
                zero &= mac[k] == 0;
            }
            return zero ? null : mac;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int loopbackIndex() {
        try {
            return Integer.parseInt(java.nio.file.Files.readString(Path.of("/sys/class/net/lo/ifindex")).strip());
        } catch (IOException | RuntimeException e) {
            return 1; // Linux gives lo index 1 in every namespace
        }
    }

    private static long shbSize(String comment, String application) {
        return 32 + opt(comment) + opt(System.getProperty("os.arch"))
                + opt(System.getProperty("os.name") + " " + System.getProperty("os.version")) + opt(application);
    }

    private static long idbsSize(List<Source> sources) {
        long total = 0;
        for (Source s : sources) {
            total += 24 + opt(s.name) + 8 + (s.filter == null ? 0 : opt(s.filter) + 4);
        }
        return total;
    }

    private static long opt(String s) {
        return s == null ? 0 : 4 + PcapngOut.pad(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    /** A k-way merge over the sources' readers by timestamp. */
    private static final class Merge implements AutoCloseable {
        final NativePcapReader[] readers;
        final boolean[] live;

        Merge(List<Source> sources, long fromNanos) throws IOException {
            readers = new NativePcapReader[sources.size()];
            live = new boolean[sources.size()];
            try {
                for (int i = 0; i < readers.length; i++) {
                    Source s = sources.get(i);
                    readers[i] = new NativePcapReader(s.pcap, s.limit);
                    readers[i].seek(s.startOffset);
                    boolean has;
                    while ((has = readers[i].next()) && readers[i].timestampNanos < fromNanos) {
                        // skip records before the window
                    }
                    live[i] = has;
                }
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        int peek() {
            int best = -1;
            for (int i = 0; i < readers.length; i++) {
                if (live[i] && (best < 0 || readers[i].timestampNanos < readers[best].timestampNanos)) {
                    best = i;
                }
            }
            return best;
        }

        void advance(int i) throws IOException {
            live[i] = readers[i].next();
        }

        /** Where a later window (starting after {@code windowEnd}) can start reading source {@code i}. */
        long resumeOffset(int i, long windowEnd) throws IOException {
            while (live[i] && readers[i].timestampNanos <= windowEnd) {
                live[i] = readers[i].next();
            }
            return live[i] ? readers[i].recordOffset : -1;
        }

        @Override
        public void close() {
            for (NativePcapReader r : readers) {
                if (r != null) {
                    r.close();
                }
            }
        }
    }
}
