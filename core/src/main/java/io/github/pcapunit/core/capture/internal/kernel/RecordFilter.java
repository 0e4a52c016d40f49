package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.capture.internal.libpcap.Libpcap;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The capture's own BPF filter applied to kernel records: for a record with addresses (an eBPF
 * drop of an IP packet, a tracefs TCP event) it builds the IP and transport header the record
 * describes (IPv4 or IPv6; TCP with its flags, UDP, ICMP/ICMPv6 type and code) and runs the
 * filter (a socket's event, whose addresses are its local and remote ends, both ways: see
 * {@link #matches}), compiled by libpcap for {@code DLT_RAW} (a packet that starts at its IP header), over it
 * with {@code pcap_offline_filter}. So a {@code tcp port 1433} capture's journal lists the drops
 * of port 1433, not every drop of the namespaces it watches.
 *
 * <p>What it cannot judge it keeps ({@link #matches} answers {@link Match#UNKNOWN}), never drops:
 * records without addresses (tracefs {@code kfree_skb}, non-IP eBPF drops), IP protocols whose
 * ports are not recorded (anything but TCP, UDP, ICMP, ICMPv6), and every record when the filter
 * is not about the headers a record has ({@link #forFilter} returns a filter that keeps all and
 * says why): it does not compile for {@code DLT_RAW} (link-layer primitives such as
 * {@code ether host}, {@code vlan}, {@code arp}), or it looks at what a record does not have:
 * payload or header bytes ({@code tcp[13]}), the packet's length ({@code len}, {@code greater},
 * {@code less}), direction or interface ({@code inbound}, {@code ifname}), broadcast/multicast
 * (link-layer or netmask dependent).
 *
 * <pre>{@code
 * RecordFilter f = RecordFilter.forFilter(Optional.of("tcp port 1433"));
 * f.matches(event);   // MATCH, NO_MATCH or UNKNOWN (kept)
 * f.close();
 * }</pre>
 */
final class RecordFilter implements AutoCloseable {

    /** A record's verdict: inside the filter, outside it, or not decidable (kept). */
    enum Match { MATCH, NO_MATCH, UNKNOWN }

    /** libpcap's DLT_RAW on Linux: the packet starts with its IPv4 or IPv6 header. */
    static final int DLT_RAW = 12;
    /** Words of filters a synthesized IP header cannot answer (see the class comment). */
    private static final Set<String> NOT_FROM_HEADERS = Set.of("len", "greater", "less", "inbound", "outbound",
            "ifname", "on", "rulenum", "reason", "rset", "ruleset", "srnr", "subrulenum", "action", "broadcast",
            "multicast", "gateway", "ether", "link", "vlan", "mpls", "pppoed", "pppoes", "geneve", "vxlan", "arp",
            "rarp", "llc", "wlan", "type", "subtype", "dir", "ifindex", "atm");
    private static final int CACHE_MAX = 4_096;

    private final String filter;
    private final BpfProgram program;
    private final String notNarrowed;
    /** Verdicts per header (records of one flow repeat): guarded by itself. */
    private final Map<List<String>, Boolean> cache = new HashMap<>();

    private RecordFilter(String filter, BpfProgram program, String notNarrowed) {
        this.filter = filter;
        this.program = program;
        this.notNarrowed = notNarrowed;
    }

    /** A filter that keeps every record; {@code why} says why (empty: the capture has no filter). */
    static RecordFilter keepAll(String why) {
        return new RecordFilter("", null, why);
    }

    /**
     * The filter for the capture's filter text; without one, or when the text is not about IP
     * headers, one that keeps every record ({@link #notNarrowed()} says why).
     */
    static RecordFilter forFilter(Optional<String> text) {
        if (text.isEmpty() || text.get().isBlank()) {
            return keepAll("");
        }
        String f = text.get().strip();
        Optional<String> word = headerlessWord(f);
        if (word.isPresent()) {
            return keepAll("the capture filter uses \"" + word.get() + "\", which a kernel record's IP header cannot"
                    + " answer: every record of the captured namespaces is listed");
        }
        try {
            Libpcap.version();
            BpfProgram p = Pcaps.compileFilter(65_535, DataLinkType.getInstance(DLT_RAW), f,
                    BpfProgram.BpfCompileMode.OPTIMIZE, netmaskUnknown());
            return new RecordFilter(f, p, null);
        } catch (PcapNativeException | RuntimeException | LinkageError e) {
            return keepAll("the capture filter does not compile for a bare IP header (it uses link-layer"
                    + " primitives): every record of the captured namespaces is listed");
        }
    }

    /** The first word of {@code filter} that makes a synthesized header's verdict wrong, or {@code [}. */
    static Optional<String> headerlessWord(String filter) {
        if (filter.indexOf('[') >= 0) {
            return Optional.of("[...]");
        }
        for (String w : filter.toLowerCase(Locale.ROOT).split("[^a-z0-9_]+")) {
            if (NOT_FROM_HEADERS.contains(w)) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    private static Inet4Address netmaskUnknown() {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {-1, -1, -1, -1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether records are judged by the filter (a filter that compiled for IP headers). */
    boolean narrows() {
        return program != null;
    }

    /** Why records are not narrowed to the capture filter, or empty when they are (or there is no filter). */
    Optional<String> notNarrowed() {
        return notNarrowed == null || notNarrowed.isEmpty() ? Optional.empty() : Optional.of(notNarrowed);
    }

    /** The filter text, "" when none. */
    String text() {
        return filter;
    }

    /**
     * Whether the capture filter accepts the packet {@code e} describes; UNKNOWN when it cannot say.
     * An eBPF drop ({@code source=EBPF}) is one packet: its {@code saddr}/{@code daddr} are the
     * packet's source and destination, judged in that direction. Any other record with addresses
     * (tracefs {@code inet_sock_set_state}, {@code tcp_receive_reset}, {@code tcp_send_reset},
     * {@code tcp_retransmit_skb}) is a socket's event: its {@code saddr}/{@code daddr} are the
     * socket's local and remote ends, and the event concerns packets both ways (a received reset
     * came from the remote end), so it matches when either direction does ({@code tcp src port 1433}
     * keeps the client's received reset from :1433).
     */
    Match matches(KernelEvent e) {
        if (program == null) {
            return Match.UNKNOWN;
        }
        String saddr = e.field("saddr");
        String daddr = e.field("daddr");
        if (saddr.isEmpty() || daddr.isEmpty()) {
            return Match.UNKNOWN;
        }
        int proto = protocol(e);
        if (proto < 0) {
            return Match.UNKNOWN;
        }
        boolean packetRecord = BpfLines.EBPF.equals(e.field("source"));
        String sport = e.field("sport");
        String dport = e.field("dport");
        String flags = e.field("flags");
        String ttl = e.field("ttl");
        List<String> key = List.of(packetRecord ? "packet" : "socket", saddr, daddr, Integer.toString(proto), sport,
                dport, flags);
        synchronized (cache) {
            Boolean cached = cache.get(key);
            if (cached != null) {
                return cached ? Match.MATCH : Match.NO_MATCH;
            }
        }
        byte[] packet = packet(saddr, daddr, proto, sport, dport, flags, ttl);
        if (packet == null) {
            return Match.UNKNOWN;
        }
        byte[] reverse = packetRecord ? null : packet(daddr, saddr, proto, dport, sport, flags, ttl);
        boolean match;
        synchronized (this) {
            if (program.isFreed()) {
                return Match.UNKNOWN;
            }
            match = program.applyFilter(packet) || (reverse != null && program.applyFilter(reverse));
        }
        synchronized (cache) {
            if (cache.size() >= CACHE_MAX) {
                cache.clear();
            }
            cache.put(key, match);
        }
        return match ? Match.MATCH : Match.NO_MATCH;
    }

    /** The IP protocol number of a record: eBPF's {@code ipproto}, tracefs's {@code protocol} (TCP); -1 unknown. */
    private static int protocol(KernelEvent e) {
        String p = e.field("ipproto");
        if (p.isEmpty()) {
            p = e.field("protocol"); // tracefs TCP events: protocol=TCP
        }
        return switch (p) {
            case "TCP" -> 6;
            case "UDP" -> 17;
            case "ICMP" -> 1;
            case "ICMPv6" -> 58;
            default -> -1; // ports not recorded: the record is kept
        };
    }

    /**
     * The IPv4/IPv6 header and transport header a record describes, or null when its fields do
     * not parse. Package-private for tests.
     */
    static byte[] packet(String saddr, String daddr, int proto, String sport, String dport, String flags, String ttl) {
        InetAddress s;
        InetAddress d;
        try {
            if (!literal(saddr) || !literal(daddr)) {
                return null;
            }
            s = InetAddress.getByName(saddr);
            d = InetAddress.getByName(daddr);
        } catch (UnknownHostException e) {
            return null;
        }
        boolean v6 = s instanceof Inet6Address;
        if (v6 != (d instanceof Inet6Address)) {
            return null;
        }
        byte[] transport = transport(proto, number(sport), number(dport), flags);
        int ipLength = v6 ? 40 : 20;
        byte[] p = new byte[ipLength + transport.length];
        // one header, its fields where IPv6 (RFC 8200) : IPv4 (RFC 791) keeps them; the rest stays
        // zero. IPv6's payload length leaves its header out, IPv4's total length counts it.
        p[0] = (byte) (v6 ? 0x60 : 0x45);
        put16(p, v6 ? 4 : 2, v6 ? transport.length : p.length);
        p[v6 ? 6 : 9] = (byte) proto;
        p[v6 ? 7 : 8] = (byte) Math.max(0, Math.min(255, number(ttl) < 0 ? 64 : number(ttl)));
        byte[] source = s.getAddress();
        System.arraycopy(source, 0, p, v6 ? 8 : 12, source.length);
        System.arraycopy(d.getAddress(), 0, p, (v6 ? 8 : 12) + source.length, source.length); // destination follows
        System.arraycopy(transport, 0, p, ipLength, transport.length);
        return p;
    }

    /** Numeric IPv4 or IPv6 literals only (no name lookup). */
    private static boolean literal(String a) {
        return a.indexOf(':') >= 0 || a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static byte[] transport(int proto, int sport, int dport, String flags) {
        if (proto == 6) {
            byte[] t = new byte[20];
            put16(t, 0, sport);
            put16(t, 2, dport);
            t[12] = 0x50;
            t[13] = (byte) tcpFlags(flags);
            return t;
        }
        if (proto == 17) {
            byte[] t = new byte[8];
            put16(t, 0, sport);
            put16(t, 2, dport);
            put16(t, 4, 8);
            return t;
        }
        byte[] t = new byte[8]; // ICMP/ICMPv6: "type T code C"
        String[] w = flags.split(" ");
        if (w.length == 4 && w[0].equals("type") && w[2].equals("code")) {
            t[0] = (byte) Math.max(0, number(w[1]));
            t[1] = (byte) Math.max(0, number(w[3]));
        }
        return t;
    }

    private static void put16(byte[] b, int at, int v) {
        int x = Math.max(0, v);
        b[at] = (byte) (x >> 8);
        b[at + 1] = (byte) x;
    }

    /** TCP flag bits of {@code SYN ACK}-style text (BpfLines#tcpFlags). */
    static int tcpFlags(String text) {
        int bits = 0;
        for (String f : text.split(" ")) {
            bits |= switch (f) {
                case "FIN" -> 0x01;
                case "SYN" -> 0x02;
                case "RST" -> 0x04;
                case "PSH" -> 0x08;
                case "ACK" -> 0x10;
                case "URG" -> 0x20;
                case "ECE" -> 0x40;
                case "CWR" -> 0x80;
                default -> 0;
            };
        }
        return bits;
    }

    private static int number(String s) {
        if (s == null || s.isEmpty() || s.length() > 6) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Frees the compiled program; idempotent. */
    @Override
    public synchronized void close() {
        if (program != null && !program.isFreed()) {
            program.free();
        }
    }
}
