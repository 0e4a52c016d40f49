package io.github.pcapunit.core.cli;

import io.github.pcapunit.core.analysis.internal.PacketMatcher;
import io.github.pcapunit.core.analysis.internal.PacketObserver;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.packet.internal.PacketDecoder;
import io.github.pcapunit.core.packet.internal.PacketFields;
import io.github.pcapunit.core.packet.internal.Summaries;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.SectionHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The packet lines of {@link TextFormat}: one walk over the file with the reader's cursor, each
 * packet decoded into one reused {@link PacketFields}, matched, and rendered into one reused
 * {@link StringBuilder} that goes to the output a few hundred lines at a time. Nothing is
 * allocated per packet of the usual kinds (TCP, UDP, ICMP over IPv4/IPv6), so listing a million
 * packets neither grows the heap nor waits on the collector. Journal entries are written between
 * the packets at their time.
 *
 * <p>Written to an {@link OutputStream} (the command line's standard output), a packet's line is
 * written straight into bytes by {@link LineBytes} (no text in between), 256 KiB at a time; a line
 * it declines (a name or problem outside printable ASCII) and the journal lines are rendered as
 * text and encoded as UTF-8 here: the arrow of each line is a one-byte stand-in in the builder, so that the
 * builder stays Latin-1 (one byte per character, no inflation on every append) and most of a line
 * is copied byte for byte; text from the file (interface names, journal entries) has the two
 * marker characters escaped. The bytes are the ones a UTF-8 {@link Writer} would produce.
 *
 * <p>The same lines can be fed packet by packet by the analysis's scan ({@link #feed}), which
 * then reads and decodes the file once for both.
 *
 * <pre>{@code
 * new PacketListing(false).write(file, matcher, journalSortedByTime, firstPacketNanos, out);
 * }</pre>
 */
final class PacketListing {

    /** Characters gathered before they are handed to the output. */
    private static final int CHUNK = 1 << 15;
    private static final String SPACES = "        ";
    private static final String ARROW = " \u2192 ";
    /** Stands for {@link #ARROW}'s {@code →} in the builder when the listing encodes it. */
    private static final char MARK = '\u0001';
    /** Before a {@link #MARK} or {@link #ESCAPE} that is text from the file. */
    private static final char ESCAPE = '\u0002';
    private static final String MARKED_ARROW = " " + MARK + " ";

    private final boolean absolute;
    private final StringBuilder s = new StringBuilder(CHUNK + 512);
    /** Bytes gathered before they are written, when writing UTF-8. */
    private static final int BYTE_CHUNK = 1 << 18;
    private char[] chars = new char[0];
    /** Whether the builder holds {@link #MARK}s and escapes (only while writing to an OutputStream). */
    private boolean marks;

    PacketListing(boolean absolute) {
        this.absolute = absolute;
    }

    /**
     * Writes the lines of the packets of {@code file} that {@code matcher} accepts (all when null)
     * with the {@code journal} entries (sorted by time) between them, times relative to
     * {@code base} nanoseconds.
     */
    void write(Path file, PacketMatcher matcher, List<JournalEntry> journal, long base, Appendable out)
            throws IOException {
        marks = false;
        walk(file, matcher, journal, base, out, null);
    }

    /** {@link #write(Path, PacketMatcher, List, long, Appendable)} as UTF-8 bytes to {@code out}. */
    void write(Path file, PacketMatcher matcher, List<JournalEntry> journal, long base, OutputStream out)
            throws IOException {
        marks = true;
        try {
            walk(file, matcher, journal, base, null, out);
        } finally {
            marks = false;
        }
    }

    /**
     * The UTF-8 lines of {@link #write(Path, PacketMatcher, List, long, OutputStream)}, fed one
     * decoded packet at a time (those the filter kept, in file order) by a scan's
     * {@link PacketObserver}, instead of reading the file here; {@link Feed#finish()} writes the
     * journal entries after the last packet and what is gathered. Same bytes as {@code write}.
     *
     * <pre>{@code
     * PacketListing.Feed feed = new PacketListing(false).feed(journal, base, out);
     * if (TrafficScan.observed(feed, traffic::packetCount)) feed.finish();
     * }</pre>
     */
    Feed feed(List<JournalEntry> journal, long base, OutputStream out) {
        marks = true;
        return new Feed(journal, base, out);
    }

    /** See {@link #feed}. Its write failures reach the scan as {@link UncheckedIOException}. */
    final class Feed implements PacketObserver {
        /** Names of interface ids below this are kept with their bytes; others are converted per packet. */
        private static final int NAMED_IDS = 1 << 10;
        private final List<JournalEntry> journal;
        private final long base;
        private final OutputStream out;
        private final LineBytes bytes = new LineBytes(absolute, BYTE_CHUNK + (BYTE_CHUNK >> 2));
        private int j;
        private String[] names = new String[0];
        private byte[][] nameBytes = new byte[0][];

        private Feed(List<JournalEntry> journal, long base, OutputStream out) {
            this.journal = journal;
            this.base = base;
            this.out = out;
        }

        @Override
        public void packet(PacketFields f) {
            while (j < journal.size() && nanos(journal.get(j).timestamp()) <= f.epochNanos) {
                journalLine(journal.get(j++), base);
                encode(bytes);
            }
            if (!bytes.packet(f, base, nameBytes(f))) {
                // the text path, with the name's marker characters escaped (the scan's fields stay as they are)
                PacketFields g = f.copy();
                g.interfaceName = fromFile(f.interfaceName, true);
                line(g, base);
                encode(bytes);
            }
            if (bytes.len >= BYTE_CHUNK) {
                try {
                    out.write(bytes.buf, 0, bytes.len);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                bytes.len = 0;
            }
        }

        /** The journal entries after the last packet, then everything gathered, to the output. */
        void finish() throws IOException {
            try {
                while (j < journal.size()) {
                    journalLine(journal.get(j++), base);
                }
                encode(bytes);
                out.write(bytes.buf, 0, bytes.len);
                bytes.len = 0;
            } finally {
                marks = false;
            }
        }

        /** {@link LineBytes#nameBytes} of the packet's interface name, converted once per name. */
        private byte[] nameBytes(PacketFields f) {
            String name = f.interfaceName;
            int id = f.interfaceId;
            if (name == null) {
                return null;
            }
            if (id < 0 || id >= NAMED_IDS) {
                return LineBytes.nameBytes(name);
            }
            if (id >= names.length) {
                names = java.util.Arrays.copyOf(names, id + 1);
                nameBytes = java.util.Arrays.copyOf(nameBytes, id + 1);
            }
            if (names[id] != name) { // a new section's interfaces are new strings
                names[id] = name;
                nameBytes[id] = LineBytes.nameBytes(name);
            }
            return nameBytes[id];
        }
    }

    private void walk(Path file, PacketMatcher matcher, List<JournalEntry> journal, long base, Appendable text,
            OutputStream utf8) throws IOException {
        PacketFields f = new PacketFields();
        LineBytes bytes = utf8 != null ? new LineBytes(absolute, BYTE_CHUNK + (BYTE_CHUNK >> 2)) : null;
        int j = 0;
        SectionHeader section = null;
        String[] names = new String[0];
        byte[][] nameBytes = new byte[0][];
        try (PcapReader r = PcapReader.open(file)) {
            while (r.nextPacket()) {
                int id = r.interfaceId();
                if (id >= names.length || r.sectionHeader() != section) {
                    section = r.sectionHeader();
                    names = names(r.interfaces(), marks);
                    nameBytes = nameBytes(r.interfaces());
                }
                f.frameNumber = r.frameNumber();
                f.epochNanos = r.timestampNanos();
                f.interfaceId = id;
                f.interfaceName = id < names.length ? names[id] : null;
                f.direction = r.direction();
                f.capturedLength = r.capturedLength();
                f.originalLength = r.originalLength();
                PacketDecoder.decode(r.payloadArray(), r.payloadOffset(), r.capturedLength(), r.linkType().value(), f);
                if (matcher != null && !matcher.matches(f)) {
                    continue;
                }
                while (j < journal.size() && nanos(journal.get(j).timestamp()) <= f.epochNanos) {
                    journalLine(journal.get(j++), base);
                    if (bytes != null) {
                        encode(bytes);
                    }
                }
                if (bytes == null) {
                    line(f, base);
                    if (s.length() >= CHUNK) {
                        flush(text);
                    }
                } else {
                    if (!bytes.packet(f, base, id < nameBytes.length ? nameBytes[id] : null)) {
                        line(f, base);
                        encode(bytes);
                    }
                    if (bytes.len >= BYTE_CHUNK) {
                        utf8.write(bytes.buf, 0, bytes.len);
                        bytes.len = 0;
                    }
                }
            }
        }
        while (j < journal.size()) {
            journalLine(journal.get(j++), base);
        }
        if (bytes == null) {
            flush(text);
        } else {
            encode(bytes);
            utf8.write(bytes.buf, 0, bytes.len);
            bytes.len = 0;
        }
    }

    /**
     * Writes the gathered lines to {@code out} as UTF-8, {@link #MARK} as {@code →} and an
     * escaped character as itself; lines end in the builder, so no surrogate pair is split.
     */
    private void encode(LineBytes out) {
        int n = s.length();
        if (chars.length < n) {
            chars = new char[n];
        }
        s.getChars(0, n, chars, 0);
        char[] c = chars;
        out.ensure(n * 3);
        byte[] b = out.buf;
        int p = out.len;
        int i = 0;
        while (i < n) {
            char ch = c[i];
            if (ch > ESCAPE && ch < 0x80) {
                b[p++] = (byte) ch;
                i++;
            } else if (ch == MARK) {
                b[p++] = (byte) 0xe2;
                b[p++] = (byte) 0x86;
                b[p++] = (byte) 0x92;
                i++;
            } else if (ch == ESCAPE && i + 1 < n) {
                b[p++] = (byte) c[i + 1];
                i += 2;
            } else if (ch < 0x80) {
                b[p++] = (byte) ch;
                i++;
            } else {
                // Other non-ASCII text (names, ×, …): as the JDK encodes it, malformed surrogates included.
                int end = i + 1;
                while (end < n && c[end] >= 0x80) {
                    end++;
                }
                byte[] run = new String(c, i, end - i).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(run, 0, b, p, run.length);
                p += run.length;
                i = end;
            }
        }
        out.len = p;
        s.setLength(0);
    }

    /** {@code text} for the builder: as it is, or with the marker characters escaped. */
    private static String fromFile(String text, boolean marks) {
        if (!marks || text == null || (text.indexOf(MARK) < 0 && text.indexOf(ESCAPE) < 0)) {
            return text;
        }
        StringBuilder e = new StringBuilder(text.length() + 4);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == MARK || ch == ESCAPE) {
                e.append(ESCAPE);
            }
            e.append(ch);
        }
        return e.toString();
    }

    /** Hands the gathered lines to {@code out}; to a {@link Writer} through a reused array, without a copy as String. */
    private void flush(Appendable out) throws IOException {
        if (out instanceof Writer) {
            int n = s.length();
            if (chars.length < n) {
                chars = new char[n];
            }
            s.getChars(0, n, chars, 0);
            ((Writer) out).write(chars, 0, n);
        } else {
            out.append(s);
        }
        s.setLength(0);
    }

    /** How many escapes {@link #fromFile} added to {@code escaped}. */
    private static int escapes(String escaped) {
        int n = 0;
        for (int i = 0; i < escaped.length(); i++) {
            char ch = escaped.charAt(i);
            if (ch == MARK || ch == ESCAPE) {
                n++;
            }
        }
        return n / 2;
    }

    private static byte[][] nameBytes(List<InterfaceDescription> interfaces) {
        byte[][] names = new byte[interfaces.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = LineBytes.nameBytes(interfaces.get(i).name().orElse(null));
        }
        return names;
    }

    private static String[] names(List<InterfaceDescription> interfaces, boolean marks) {
        String[] names = new String[interfaces.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = fromFile(interfaces.get(i).name().orElse(null), marks);
        }
        return names;
    }

    /** One packet's line, as {@link #line(PacketFields, long)} renders it, as a string. */
    String text(PacketFields f, long base) {
        s.setLength(0);
        line(f, base);
        s.setLength(s.length() - 1);
        String text = s.toString();
        s.setLength(0);
        return text;
    }

    /**
     * {@code "%6d %s %-8s %s %s (%d bytes%s)\n"}: frame, time, interface, direction, summary,
     * lengths.
     */
    private void line(PacketFields f, long base) {
        pad(s.length(), f.frameNumber);
        s.append(' ');
        time(f.epochNanos, base);
        s.append(' ');
        int at = s.length();
        if (f.interfaceName != null) {
            s.append(f.interfaceName);
            if (marks && f.interfaceName.indexOf(ESCAPE) >= 0) {
                at += escapes(f.interfaceName); // the width is the name's, without its escapes
            }
        } else {
            s.append("if").append(f.interfaceId);
        }
        if (s.length() - at < 8) {
            s.append(SPACES, 0, 8 - (s.length() - at));
        }
        s.append(' ').append(f.direction == Direction.INBOUND ? "Rx" : f.direction == Direction.OUTBOUND ? "Tx" : "--")
                .append(' ');
        Summaries.appendSummary(s, f, marks ? MARKED_ARROW : ARROW).append(" (").append(f.originalLength)
                .append(" bytes");
        if (f.capturedLength < f.originalLength) {
            s.append(", ").append(f.capturedLength).append(" captured");
        }
        s.append(")\n");
    }

    /** {@code %6d}: right-aligned in six characters (more when longer). */
    private void pad(int at, long n) {
        s.append(n);
        int width = s.length() - at;
        if (width < 6) {
            s.insert(at, SPACES, 0, 6 - width);
        }
    }

    /** Relative {@code +1.022345} (seconds and microseconds, sign first) or the UTC instant. */
    private void time(long epochNanos, long base) {
        if (absolute) {
            s.append(Instant.ofEpochSecond(0, epochNanos));
            return;
        }
        long d = epochNanos - base;
        long abs = Math.abs(d);
        s.append(d < 0 ? '-' : '+').append(abs / 1_000_000_000L).append('.');
        long micros = (abs % 1_000_000_000L) / 1000;
        for (long p = 100_000; p > 1 && micros < p; p /= 10) {
            s.append('0');
        }
        s.append(micros);
    }

    private void journalLine(JournalEntry e, long base) {
        String event = e.get(JournalKey.PCAPUNIT_EVENT).orElse(null);
        String msg = e.has(JournalKey.MESSAGE) ? e.message()
                : EvidenceStatus.fromJournalEntry(e).map(EvidenceStatus::describe).orElse(e.fields().toString());
        s.append(SPACES, 0, 6).append(' ');
        time(nanos(e.timestamp()), base);
        s.append(fromFile(String.format(Locale.ROOT, " %-8s    Journal: %s%s", "journal",
                event != null ? event + ": " : "", msg), marks)).append('\n');
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
