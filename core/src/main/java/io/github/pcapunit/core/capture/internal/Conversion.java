package io.github.pcapunit.core.capture.internal;

import io.github.pcapunit.core.pcapng.FrameCommenter;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.SectionHeader;
import io.github.pcapunit.core.pcapng.internal.Merger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/**
 * What the engine knows that the file format does not, handed to the pcapng layer's
 * {@link Merger}: the native pcap files (one per interface) with the time window and byte range
 * to convert, each interface's own MAC address (from sysfs), the loopback ifindex, libpcap's
 * counters as statistics, the section comment, which says where the size cap cut the file, and
 * on {@code any} the real interface behind each ifindex (from the namespace captured), so each
 * packet is written on its interface's IDB; the {@code any} IDB keeps packets of interfaces that
 * are gone and libpcap's statistics, which the kernel does not count per interface.
 *
 * <pre>{@code
 * Conversion.Outcome o = Conversion.convert(out, sources, start, Long.MAX_VALUE, entries,
 *         "pcapunit capture on [any]", "pcapunit 1.0", 100_000_000, -1, null);
 * }</pre>
 */
final class Conversion {

    /** Space kept in the section comment for the sentence saying where the cap cut the file. */
    private static final int CUT_SENTENCE_RESERVE = 256;
    /** Longest section comment written (pcapng options hold 65535 bytes, UTF-8 takes up to 3 a char). */
    private static final int MAX_COMMENT_CHARS = 20_000;
    private static final int LOOPBACK_IFINDEX = loopbackIndex();

    /** One interface's native capture. */
    static final class Source {
        /** The interface's name in the file: the interface, or {@code <point>/<interface>} in another namespace. */
        final String name;
        /** The interface as libpcap opened it, e.g. {@code any} or {@code eth0}. */
        final String iface;
        /** The interface description (e.g. the namespace or container it is in), or null. */
        final String description;
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
        /** On {@code any}: the interface behind an ifindex, or null; null for no lookup. */
        final IntFunction<InterfaceDescription> interfaces;

        Source(String name, int linkType, int snaplen, Path pcap, long startOffset, long limit, String filter,
                long[] stats) {
            this(name, name, null, true, null, linkType, snaplen, pcap, startOffset, limit, filter, stats, null);
        }

        /**
         * A source named {@code name} in the file, captured on {@code iface}; {@code ownMac} null
         * with {@code sysfsMac} reads the MAC from sysfs (only right in the JVM's own namespace).
         */
        Source(String name, String iface, String description, boolean sysfsMac, byte[] ownMac, int linkType,
                int snaplen, Path pcap, long startOffset, long limit, String filter, long[] stats,
                IntFunction<InterfaceDescription> interfaces) {
            this.name = name;
            this.iface = iface;
            this.description = description;
            this.linkType = linkType;
            this.snaplen = snaplen;
            this.pcap = pcap;
            this.startOffset = startOffset;
            this.limit = limit;
            this.filter = filter;
            this.stats = stats;
            this.ownMac = linkType != 1 ? null : ownMac != null ? ownMac.clone() : sysfsMac ? macOf(iface) : null;
            this.interfaces = "any".equals(iface) ? interfaces : null;
        }
    }

    /** What a conversion wrote. */
    static final class Outcome {
        final long[] written;
        final long[] loopback;
        /** Per source: offset of the first record after the window's end (for the next window), or -1. */
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
        List<JournalFields> window = new ArrayList<>();
        for (JournalFields j : journal) {
            if (j.timestampNanos() >= fromNanos && j.timestampNanos() <= toNanos) {
                window.add(j);
            }
        }
        window.sort(Comparator.comparingLong(JournalFields::timestampNanos));
        List<JournalEntry> entries = window.stream().map(JournalFields::toJournalEntry).toList();
        List<Merger.Input> inputs = new ArrayList<>();
        for (Source s : sources) {
            InterfaceDescription.Builder d = InterfaceDescription.builder().linkType(LinkType.of(s.linkType))
                    .snaplen(s.snaplen).name(s.name).tsresol(InterfaceDescription.TSRESOL_NANOS);
            if (s.filter != null) {
                d.filter(s.filter);
            }
            if (s.description != null) {
                d.description(s.description);
            }
            inputs.add(new Merger.Input(s.pcap, d.build(), s.startOffset, s.limit, s.ownMac, s.interfaces)
                    .skipping(Conversion::isMarker));
        }
        long statsEnd = toNanos == Long.MAX_VALUE ? nanos(Instant.now()) : toNanos;
        Merger merger = new Merger(inputs, entries)
                .window(fromNanos, toNanos)
                .loopbackIndex(LOOPBACK_IFINDEX)
                .statistics((i, written, loopback) -> statistics(sources.get(i), written, loopback, fromNanos,
                        statsEnd))
                .commenter(commenter);
        if (maxBytes > 0) {
            merger.maxBytes(maxBytes).sectionReserve(CUT_SENTENCE_RESERVE);
        }
        Merger.Result r = merger.convert(out, cut -> section(sectionComment, application, maxBytes,
                cut.isPresent() ? cut.getAsLong() : alreadyCut));
        long truncatedAt = r.cutNanos >= 0 ? r.cutNanos : alreadyCut;
        return new Outcome(r.written, r.loopbackWritten, r.resumeOffsets, truncatedAt, r.bytes);
    }

    private static SectionHeader section(String comment, String application, long maxBytes, long cutNanos) {
        String text = comment;
        if (cutNanos >= 0) {
            text += "\nCut by the size cap of " + maxBytes + " bytes at " + instant(cutNanos)
                    + ": later packets were not written.";
        }
        if (text.length() > MAX_COMMENT_CHARS) {
            text = text.substring(0, MAX_COMMENT_CHARS);
        }
        SectionHeader.Builder b = SectionHeader.builder().comment(text)
                .hardware(System.getProperty("os.arch"))
                .os(System.getProperty("os.name") + " " + System.getProperty("os.version"));
        if (application != null) {
            b.userAppl(application);
        }
        return b.build();
    }

    /** The engine's own marker datagrams ({@link Marker}) are never written. */
    static boolean isMarker(int linkType, byte[] data, int offset, int length) {
        return Marker.sequence(linkType, data, offset, length) != Long.MIN_VALUE;
    }

    /** libpcap's counters over the window as an Interface Statistics Block. */
    private static InterfaceStatistics statistics(Source s, long written, long loopback, long fromNanos,
            long toNanos) {
        long received = received(s, loopback);
        return InterfaceStatistics.builder()
                .start(instant(fromNanos)).end(instant(toNanos))
                .ifRecv(received).ifDrop(s.stats[2]).filterAccept(received).osDrop(kernelBufferDrops(s))
                .usrDeliv(written)
                .build();
    }

    /**
     * Packets the kernel passed to the capture, without loopback's double count: the kernel counts
     * each loopback packet twice (outgoing and incoming copy) on "lo" and on "any", and libpcap
     * delivers one. On "any" the loopback share is known only for packets written.
     */
    static long received(Source s, long loopbackWritten) {
        long received = s.stats[0];
        if ("lo".equals(s.iface)) {
            return received / 2;
        }
        if ("any".equals(s.iface)) {
            return Math.max(0, received - loopbackWritten);
        }
        return received;
    }

    /**
     * Packets lost in the kernel capture buffer, without loopback's double count on {@code lo}.
     * The kernel queues both copies of a loopback packet (outgoing and incoming) to the capture
     * and counts each copy it cannot queue as one drop ({@code tp_drops}); libpcap keeps only the
     * incoming copy, so one lost packet is two drops. A full buffer refuses both copies of a
     * packet, which arrive microseconds apart, so the count is halved like {@link #received},
     * rounding up (an odd count means one copy of a packet was refused), and never exceeds the
     * packets received. On {@code any}, loopback and other packets share one counter and the
     * loopback share of the drops is not known: the count stays as the kernel gives it (an upper
     * bound when loopback traffic was lost).
     */
    static long kernelBufferDrops(Source s) {
        long drops = s.stats[1];
        if ("lo".equals(s.iface)) {
            return Math.min((drops + 1) / 2, received(s, 0));
        }
        return drops;
    }

    /** The MAC address of a local interface from sysfs, or null (none, all zeros, or unreadable). */
    static byte[] macOf(String iface) {
        try {
            String text = Files.readString(Path.of("/sys/class/net", iface, "address")).strip();
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
            return null; // direction then stays unknown on this interface
        }
    }

    private static int loopbackIndex() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/ifindex")).strip());
        } catch (IOException | RuntimeException e) {
            return 1; // Linux gives lo index 1 in every namespace
        }
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
