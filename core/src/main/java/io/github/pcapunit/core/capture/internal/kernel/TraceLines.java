package io.github.pcapunit.core.capture.internal.kernel;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses lines of a tracefs {@code trace_pipe} in the default text format:
 * <pre>{@code
 *  python3-11816 [001] .....  2855.037059: kfree_skb: skbaddr=... protocol=2048 location=nft_do_chain+0x3e8/0x610 reason: NETFILTER_DROP
 * }</pre>
 * The comm may hold spaces and dashes; the pid is the last {@code -<digits>} before the CPU.
 */
final class TraceLines {

    private static final Pattern LINE = Pattern.compile(
            "^\\s*(.+?)-(\\d+)\\s+(?:\\(\\s*([\\d-]+)\\)\\s+)?\\[(\\d+)\\]\\s+(?:\\S+\\s+)?(\\d+)\\.(\\d+):\\s+(\\w+):\\s?(.*)$");
    private static final Pattern FIELD = Pattern.compile("(\\w+)(?:=|:\\s)(\\S*)");

    private final long wallMinusMonoNanos;

    /** @param wallMinusMonoNanos offset added to the monotonic trace clock to get epoch nanoseconds */
    TraceLines(long wallMinusMonoNanos) {
        this.wallMinusMonoNanos = wallMinusMonoNanos;
    }

    /** The clock offset measured now: wall-clock epoch nanos minus {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux). */
    static long measureOffset() {
        long before = System.nanoTime();
        Instant wall = Instant.now();
        long after = System.nanoTime();
        long wallNanos = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
        return wallNanos - (before + (after - before) / 2);
    }

    /** The event on {@code line}, or empty for comments, markers of other formats and garbage. */
    Optional<KernelEvent> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        String fraction = (m.group(6) + "000000000").substring(0, 9);
        long epochNanos;
        long pid;
        int cpu;
        try {
            long monoNanos = Math.addExact(Math.multiplyExact(Long.parseLong(m.group(5)), 1_000_000_000L),
                    Long.parseLong(fraction));
            epochNanos = Math.addExact(monoNanos, wallMinusMonoNanos);
            // With record-tgid the process id (tgid) follows the thread id; a Java thread's tid is not its pid.
            pid = m.group(3) != null && !m.group(3).startsWith("-") ? Long.parseLong(m.group(3)) : Long.parseLong(m.group(2));
            cpu = Integer.parseInt(m.group(4));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty(); // numbers no kernel prints (20 digits, a "1-2" tgid): not a trace line
        }
        Instant time = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher f = FIELD.matcher(m.group(8));
        while (f.find()) {
            fields.put(f.group(1), f.group(2));
        }
        return Optional.of(new KernelEvent(m.group(7), time, cpu, pid,
                m.group(1).strip(), normalize(m.group(7), fields)));
    }

    /**
     * What a summary counts a {@code kfree_skb} by, read without a regular expression or a field
     * map: the recorder uses it for the events past its limit, tens of thousands a second under a
     * flood.
     *
     * @param reason     as printed: a name, or on older kernels a number; "" when absent
     * @param location   the function, e.g. {@code __udp4_lib_rcv}; "" when absent
     * @param protocol   as {@link #etherType} names it, e.g. {@code IPv4}; "" when absent
     * @param epochNanos the event's wall-clock time in nanoseconds since the epoch
     */
    record Drop(String reason, String location, String protocol, long epochNanos) {
    }

    /**
     * The {@code kfree_skb} on {@code line} as a {@link Drop}, with the same time and fields as
     * {@link #parse} gives; null when the line is not a {@code kfree_skb} of the expected shape
     * (then {@link #parse} decides).
     *
     * <pre>{@code
     * TraceLines.Drop d = lines.brief("<idle>-0 [000] ..s2. 2856.060109: kfree_skb: skbaddr=... protocol=2048"
     *         + " location=__udp4_lib_rcv+0x6a8/0xa90 reason: NO_SOCKET");
     * d.reason();   // NO_SOCKET
     * }</pre>
     */
    Drop brief(String line) {
        int at = line.indexOf(KFREE_SKB_TAG);
        if (at < 0) {
            return null;
        }
        // "<seconds>.<fraction>" ends right before the tag
        int dot = -1;
        int start = at;
        while (start > 0) {
            char c = line.charAt(start - 1);
            if (c == '.' && dot < 0) {
                dot = start - 1;
            } else if (c < '0' || c > '9') {
                break;
            }
            start--;
        }
        if (dot <= start || dot >= at - 1 || (start > 0 && line.charAt(start - 1) != ' ') || at - dot - 1 > 9
                || dot - start > 12) {
            return null;
        }
        long seconds = Long.parseLong(line, start, dot, 10);
        long fraction = Long.parseLong(line, dot + 1, at, 10);
        for (int digits = at - dot - 1; digits < 9; digits++) {
            fraction *= 10;
        }
        long epochNanos;
        try {
            epochNanos = Math.addExact(Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), fraction),
                    wallMinusMonoNanos);
        } catch (ArithmeticException e) {
            return null; // no kernel prints such a time: parse() ignores the line as garbage
        }
        int fields = at + KFREE_SKB_TAG.length();
        String location = value(line, fields, "location=");
        String protocol = value(line, fields, "protocol=");
        return new Drop(value(line, fields, "reason: "), location.isEmpty() ? "" : function(location),
                protocol.isEmpty() ? "" : etherType(protocol), epochNanos);
    }

    private static final String KFREE_SKB_TAG = ": kfree_skb: ";

    /** The value after {@code key} (up to the next space or the end), searched from {@code from}; "" when absent. */
    private static String value(String line, int from, String key) {
        int k = line.indexOf(key, from);
        if (k < 0 || (k > from && line.charAt(k - 1) != ' ')) {
            return "";
        }
        int v = k + key.length();
        int end = line.indexOf(' ', v);
        return line.substring(v, end < 0 ? line.length() : end);
    }

    /**
     * Canonical field names across events: {@code reason, location, protocol, saddr, sport, daddr,
     * dport, oldstate, newstate}; pointers and the IPv4-mapped IPv6 copies are dropped.
     */
    static Map<String, String> normalize(String event, Map<String, String> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        switch (event) {
            case "sched_process_exec" -> putIfPresent(out, "filename", raw.get("filename"));
            case "kfree_skb" -> {
                putIfPresent(out, "reason", raw.get("reason"));
                putIfPresent(out, "location", raw.containsKey("location") ? function(raw.get("location")) : null);
                putIfPresent(out, "protocol", raw.containsKey("protocol") ? etherType(raw.get("protocol")) : null);
            }
            case "tcp_send_reset" -> {
                splitEndpoint(raw.get("src"), "saddr", "sport", out);
                splitEndpoint(raw.get("dest"), "daddr", "dport", out);
                out.put("protocol", "TCP");
                putIfPresent(out, "reason", raw.get("reason"));
                putIfPresent(out, "newstate", raw.get("state"));
            }
            default -> {
                boolean v6 = "AF_INET6".equals(raw.get("family"));
                putIfPresent(out, "saddr", v6 ? unmap(raw.get("saddrv6")) : raw.get("saddr"));
                putIfPresent(out, "sport", raw.get("sport"));
                putIfPresent(out, "daddr", v6 ? unmap(raw.get("daddrv6")) : raw.get("daddr"));
                putIfPresent(out, "dport", raw.get("dport"));
                String protocol = raw.getOrDefault("protocol", "IPPROTO_TCP");
                out.put("protocol", protocol.startsWith("IPPROTO_") ? protocol.substring(8) : protocol);
                putIfPresent(out, "oldstate", raw.get("oldstate"));
                putIfPresent(out, "newstate", raw.containsKey("newstate") ? raw.get("newstate") : raw.get("state"));
            }
        }
        return out;
    }

    private static void putIfPresent(Map<String, String> out, String key, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(key, value);
        }
    }

    /** {@code 10.0.0.1:80} or {@code [::1]:80} into address and port fields. */
    private static void splitEndpoint(String endpoint, String addressKey, String portKey, Map<String, String> out) {
        if (endpoint == null) {
            return;
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) {
            out.put(addressKey, endpoint);
            return;
        }
        String address = endpoint.substring(0, colon);
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        out.put(addressKey, unmap(address));
        out.put(portKey, endpoint.substring(colon + 1));
    }

    /** A dual-stack (Java) socket's IPv4-mapped address {@code ::ffff:10.0.0.1} is the IPv4 address on the wire. */
    static String unmap(String address) {
        if (address != null && address.startsWith("::ffff:") && address.indexOf('.') > 0) {
            return address.substring(7);
        }
        return address;
    }

    /** skb->protocol (an EtherType in host order as printed) to a readable name. */
    static String etherType(String number) {
        try {
            int type = Integer.parseInt(number);
            return switch (type) {
                case 0x0800 -> "IPv4";
                case 0x86DD -> "IPv6";
                case 0x0806 -> "ARP";
                default -> String.format("0x%04x", type);
            };
        } catch (NumberFormatException e) {
            return number;
        }
    }

    /** {@code nft_do_chain+0x3e8/0x610} → {@code nft_do_chain}. */
    static String function(String location) {
        int plus = location.indexOf('+');
        return plus < 0 ? location : location.substring(0, plus);
    }
}
