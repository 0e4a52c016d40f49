package io.github.pcapunit.core.cli;

import io.github.pcapunit.core.packet.internal.IcmpNames;
import io.github.pcapunit.core.packet.internal.PacketFields;
import io.github.pcapunit.core.packet.internal.Summaries;
import io.github.pcapunit.core.pcapng.Direction;
import java.time.Instant;
import java.util.Arrays;

/**
 * The command line's packet lines written straight into a byte buffer as UTF-8: numbers,
 * addresses, times and names by hand, no String, builder or encoder per packet. The bytes are
 * those of {@link PacketListing}'s text line ({@code "%6d %s %-8s %s %s (%d bytes%s)\n"}, the
 * summary of {@link Summaries#appendSummary}) encoded as UTF-8, for every line it renders; a line
 * with text it does not render by hand (a character outside printable ASCII in an interface
 * name or a problem, a number it cannot negate) it leaves unwritten and says so, and the caller
 * renders that one the {@link StringBuilder} way.
 *
 * <pre>{@code
 * LineBytes out = new LineBytes(false, 1 << 18);
 * if (!out.packet(fields, base, nameBytes)) { ... render it the other way ... }
 * stream.write(out.buf, 0, out.len);
 * }</pre>
 */
final class LineBytes {

    private static final byte[] ARROW = {' ', (byte) 0xe2, (byte) 0x86, (byte) 0x92, ' '};
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    /** As {@link Summaries}: header bit order, except SYN first. */
    private static final int[] FLAG_ORDER = {1, 0, 2, 3, 4, 5, 6, 7};
    private static final byte[] BYTES = bytes(" bytes");
    private static final byte[] COMMA = bytes(", ");
    private static final byte[] CAPTURED = bytes(" captured");
    private static final byte[] HLIM = bytes(" hlim=");
    private static final byte[] TTL = bytes(" ttl=");
    private static final byte[] FRAGMENT = bytes(" fragment");
    private static final byte[] SEQ = bytes(" seq=");
    private static final byte[] ACK = bytes(" ack=");
    private static final byte[] WIN = bytes(" win=");
    private static final byte[] ID = bytes(" id=");
    private static final byte[] CODE = bytes(" code=");
    private static final byte[] FOR = bytes(" for ");
    private static final byte[] LEN = bytes("len=");
    private static final byte[] TCP = bytes("TCP");
    private static final byte[] UDP = bytes("UDP");
    private static final byte[] ICMP = bytes("ICMP");
    private static final byte[] ICMPV6 = bytes("ICMPv6");
    /** {@link Summaries#tcpFlags} of every 8-bit flag set. */
    private static final byte[][] FLAGS = new byte[256][];
    /** The decimal text of 0..255 (address octets). */
    private static final byte[][] OCTETS = new byte[256][];
    /** "00".."99". */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 256; i++) {
            FLAGS[i] = bytes(Summaries.tcpFlags(i));
            OCTETS[i] = bytes(Integer.toString(i));
        }
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Room every line is given up front; strings of unbounded length ask for their own. */
    private static final int LINE_ROOM = 1024;

    private final boolean absolute;
    /** The lines so far, {@code buf[0, len)}. */
    byte[] buf;
    int len;
    /** The start of the second the last relative time was in, in nanoseconds (a multiple of 10^9). */
    private long relativeSecond = Long.MIN_VALUE;
    private long relativeSeconds = -1;
    /** The second {@link #secondText} names, in nanoseconds since the epoch. */
    private long secondStart;
    private byte[] secondText;

    LineBytes(boolean absolute, int capacity) {
        this.absolute = absolute;
        this.buf = new byte[Math.max(capacity, LINE_ROOM * 2)];
    }

    private static byte[] bytes(String constant) {
        return constant.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Appends a constant; the line's room covers it. */
    private void put(byte[] c) {
        System.arraycopy(c, 0, buf, len, c.length);
        len += c.length;
    }

    /** Room for {@code n} more bytes. */
    void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /**
     * The bytes of an interface name when every character is printable ASCII, which the line
     * writes as it is and pads by its length; null otherwise (then {@link #packet} declines its
     * lines).
     */
    static byte[] nameBytes(String name) {
        if (name == null) {
            return null;
        }
        byte[] b = new byte[name.length()];
        for (int i = 0; i < b.length; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
            b[i] = (byte) c;
        }
        return b;
    }

    /**
     * Appends the line of {@code f}, relative times from {@code base}. {@code name}: the
     * interface's name as {@link #nameBytes} gives it, or null when {@code f.interfaceName} is
     * null (then {@code if<id>}). Returns false, with nothing appended, when the line holds text
     * this does not render (a name that is not printable ASCII, for one).
     */
    boolean packet(PacketFields f, long base, byte[] name) {
        if (name == null && f.interfaceName != null) {
            return false;
        }
        int start = len;
        ensure(LINE_ROOM + (name == null ? 0 : name.length));
        if (!frame(f.frameNumber)) {
            len = start;
            return false;
        }
        buf[len++] = ' ';
        if (!time(f.epochNanos, base)) {
            len = start;
            return false;
        }
        byte[] b = buf;
        b[len++] = ' ';
        int at = len;
        if (name != null) {
            System.arraycopy(name, 0, b, len, name.length);
            len += name.length;
        } else {
            b[len++] = 'i';
            b[len++] = 'f';
            if (!signed(f.interfaceId)) {
                len = start;
                return false;
            }
        }
        while (len - at < 8) {
            b[len++] = ' ';
        }
        b[len++] = ' ';
        if (f.direction == Direction.INBOUND) {
            b[len++] = 'R';
            b[len++] = 'x';
        } else if (f.direction == Direction.OUTBOUND) {
            b[len++] = 'T';
            b[len++] = 'x';
        } else {
            b[len++] = '-';
            b[len++] = '-';
        }
        b[len++] = ' ';
        if (!summary(f)) {
            len = start;
            return false;
        }
        ensure(64);
        b = buf;
        b[len++] = ' ';
        b[len++] = '(';
        if (!signed(f.originalLength)) {
            len = start;
            return false;
        }
        put(BYTES);
        if (f.capturedLength < f.originalLength) {
            put(COMMA);
            if (!signed(f.capturedLength)) {
                len = start;
                return false;
            }
            put(CAPTURED);
        }
        buf[len++] = ')';
        buf[len++] = '\n';
        return true;
    }

    /** {@code %6d}. */
    private boolean frame(long n) {
        int at = len;
        if (!signed(n)) {
            return false;
        }
        int width = len - at;
        if (width < 6) {
            int pad = 6 - width;
            System.arraycopy(buf, at, buf, at + pad, width);
            Arrays.fill(buf, at, at + pad, (byte) ' ');
            len += pad;
        }
        return true;
    }

    /** Relative {@code +1.022345} or the UTC instant as {@link Instant#toString()} writes it. */
    private boolean time(long epochNanos, long base) {
        if (absolute) {
            return instant(epochNanos);
        }
        long d = epochNanos - base;
        long abs = Math.abs(d);
        if (abs < 0) {
            return false;
        }
        buf[len++] = (byte) (d < 0 ? '-' : '+');
        if (Long.compareUnsigned(abs - relativeSecond, 1_000_000_000L) >= 0) {
            relativeSeconds = abs / 1_000_000_000L; // the next packets are most likely in this second too
            relativeSecond = relativeSeconds * 1_000_000_000L;
        }
        digits(relativeSeconds);
        buf[len++] = '.';
        int nanos = (int) (abs - relativeSecond);
        fixed((int) ((nanos * 274877907L) >>> 38), 6); // nanos / 1000 for 0 <= nanos < 10^9, without a division
        return true;
    }

    /**
     * {@code Instant.ofEpochSecond(0, nanos).toString()}: the date and time of the second (cached,
     * from the JDK), then the fraction in groups of three digits as needed, then {@code Z}.
     */
    private boolean instant(long epochNanos) {
        long inSecond = epochNanos - secondStart; // negative also when the difference overflows a long
        if (secondText == null || epochNanos < secondStart || inSecond < 0 || inSecond >= 1_000_000_000L) {
            long sec = Math.floorDiv(epochNanos, 1_000_000_000L);
            if (sec < Long.MIN_VALUE / 1_000_000_000L) {
                return false; // its start in nanoseconds is not a long
            }
            String t = Instant.ofEpochSecond(sec).toString();
            if (!t.endsWith("Z") || nameBytes(t) == null) {
                return false;
            }
            secondText = nameBytes(t.substring(0, t.length() - 1));
            secondStart = sec * 1_000_000_000L;
        }
        int nano = (int) (epochNanos - secondStart);
        System.arraycopy(secondText, 0, buf, len, secondText.length);
        len += secondText.length;
        if (nano != 0) {
            buf[len++] = '.';
            if (nano % 1_000_000 == 0) {
                fixed(nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                fixed(nano / 1000, 6);
            } else {
                fixed(nano, 9);
            }
        }
        buf[len++] = 'Z';
        return true;
    }

    /** {@link Summaries#appendSummary}'s text. */
    private boolean summary(PacketFields f) {
        switch (f.protocol) {
            case 6:
                put(TCP);
                break;
            case 17:
                put(UDP);
                break;
            case 1:
                put(ICMP);
                break;
            case 58:
                put(ICMPV6);
                break;
            default:
                if (!ascii(Summaries.protocol(f))) {
                    return false;
                }
        }
        int mark = len;
        buf[len++] = ' ';
        endpoints(f);
        if (len == mark + 1) {
            len = mark;
        }
        mark = len;
        buf[len++] = ' ';
        if (!details(f)) {
            return false;
        }
        if (len == mark + 1) {
            len = mark;
        }
        if (f.ttl >= 0) {
            put(f.ipVersion == 6 ? HLIM : TTL);
            digits(f.ttl);
        }
        if (f.fragment) {
            put(FRAGMENT);
        }
        if (f.truncated) {
            return ascii(" [truncated: ") && ascii(String.valueOf(f.problem)) && ascii("]");
        } else if (f.malformed) {
            return ascii(" [malformed: ") && ascii(String.valueOf(f.problem)) && ascii("]");
        }
        return true;
    }

    private void endpoints(PacketFields f) {
        int n = f.addressLength();
        if (n == 0) {
            return;
        }
        endpoint(f.src, n, f.srcPort);
        System.arraycopy(ARROW, 0, buf, len, ARROW.length);
        len += ARROW.length;
        endpoint(f.dst, n, f.dstPort);
    }

    private void endpoint(byte[] raw, int n, int port) {
        if (port < 0) {
            address(raw, n);
        } else if (n == 16) {
            buf[len++] = '[';
            address(raw, n);
            buf[len++] = ']';
            buf[len++] = ':';
            digits(port);
        } else {
            address(raw, n);
            buf[len++] = ':';
            digits(port);
        }
    }

    private boolean details(PacketFields f) {
        int from = len;
        if (f.protocol == 6 && f.tcpFlags >= 0 && f.window >= 0) {
            flags(f.tcpFlags);
            put(SEQ);
            if (!signed(f.seq)) {
                return false;
            }
            if ((f.tcpFlags & PacketFields.ACK) != 0) {
                put(ACK);
                if (!signed(f.ack)) {
                    return false;
                }
            }
            put(WIN);
            digits(f.window);
        } else if ((f.protocol == 1 || f.protocol == 58) && f.icmpType >= 0) {
            if (!ascii(IcmpNames.typeName(f.ipVersion, f.icmpType))) {
                return false;
            }
            if (IcmpNames.isUnreachable(f.ipVersion, f.icmpType)) {
                ascii(" (");
                if (!ascii(IcmpNames.unreachableText(f.ipVersion, f.icmpCode))) {
                    return false;
                }
                buf[len++] = ')';
            } else if (f.icmpId >= 0) {
                put(ID);
                digits(f.icmpId);
                put(SEQ);
                if (!signed(f.icmpSeq)) {
                    return false;
                }
            } else if (f.icmpCode != 0) {
                put(CODE);
                if (!signed(f.icmpCode)) {
                    return false;
                }
            }
            if (f.hasInner && f.inner != null) {
                PacketFields in = f.inner;
                put(FOR);
                if (!ascii(Summaries.protocol(in))) {
                    return false;
                }
                buf[len++] = ' ';
                ensure(128);
                endpoints(in);
            }
        }
        if (f.payloadLength >= 0 && f.protocol != 1 && f.protocol != 58) {
            if (len > from) {
                buf[len++] = ' ';
            }
            put(LEN);
            digits(f.payloadLength);
        }
        return true;
    }

    private void flags(int flags) {
        if ((flags & ~0xff) == 0) {
            put(FLAGS[flags]);
            return;
        }
        buf[len++] = '[';
        boolean first = true;
        for (int i : FLAG_ORDER) {
            if ((flags & (1 << i)) != 0) {
                if (!first) {
                    buf[len++] = ',';
                    buf[len++] = ' ';
                }
                String name = FLAG_NAMES[i];
                buf[len++] = (byte) name.charAt(0);
                buf[len++] = (byte) name.charAt(1);
                buf[len++] = (byte) name.charAt(2);
                first = false;
            }
        }
        buf[len++] = ']';
    }

    /** {@code Addresses.appendText}: dotted IPv4, RFC 5952 IPv6. */
    private void address(byte[] raw, int n) {
        byte[] b = buf;
        if (n == 4) {
            put(OCTETS[raw[0] & 0xff]);
            b[len++] = '.';
            put(OCTETS[raw[1] & 0xff]);
            b[len++] = '.';
            put(OCTETS[raw[2] & 0xff]);
            b[len++] = '.';
            put(OCTETS[raw[3] & 0xff]);
            return;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(raw, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(raw, j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        int from = len;
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b[len++] = ':';
                b[len++] = ':';
                i += bestLen - 1;
                continue;
            }
            if (len > from && b[len - 1] != ':') {
                b[len++] = ':';
            }
            int v = group(raw, i);
            boolean started = false;
            for (int shift = 12; shift >= 0; shift -= 4) {
                int d = (v >>> shift) & 0xF;
                if (d != 0 || started || shift == 0) {
                    b[len++] = HEX[d];
                    started = true;
                }
            }
        }
    }

    private static int group(byte[] raw, int i) {
        return ((raw[2 * i] & 0xff) << 8) | (raw[2 * i + 1] & 0xff);
    }

    /** Appends {@code s} if it is printable ASCII; false (with part of it appended) otherwise. */
    private boolean ascii(String s) {
        int n = s.length();
        ensure(n + LINE_ROOM / 2);
        byte[] b = buf;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
            b[len++] = (byte) c;
        }
        return true;
    }

    /** {@code Long.toString(v)}; false for the one value whose magnitude is not a long. */
    private boolean signed(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return false;
            }
            buf[len++] = '-';
            v = -v;
        }
        digits(v);
        return true;
    }

    /** The decimal digits of {@code v >= 0}. */
    private void digits(long v) {
        if (v < 1_000_000_000L) {
            digits((int) v);
            return;
        }
        long high = v / 1_000_000_000L;
        digits(high);
        fixed((int) (v - high * 1_000_000_000L), 9);
    }

    /** The decimal digits of {@code v >= 0}. */
    private void digits(int v) {
        int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10_000 ? 4 : v < 100_000 ? 5 : v < 1_000_000 ? 6
                : v < 10_000_000 ? 7 : v < 100_000_000 ? 8 : v < 1_000_000_000 ? 9 : 10;
        fixed(v, n);
    }

    /** {@code 0 <= v < 10^n} in exactly {@code n} digits, zeros first. */
    private void fixed(int v, int n) {
        byte[] b = buf;
        int p = len + n;
        int left = n;
        while (left >= 2) {
            int q = (int) ((v * 1374389535L) >>> 37); // v / 100 for every non-negative int, without a division
            int r = (v - q * 100) << 1;
            b[--p] = PAIRS[r + 1];
            b[--p] = PAIRS[r];
            v = q;
            left -= 2;
        }
        if (left == 1) {
            b[--p] = (byte) ('0' + v); // v < 10: the callers give as many digits as v has, or more
        }
        len += n;
    }
}
