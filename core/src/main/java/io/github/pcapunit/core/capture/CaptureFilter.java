package io.github.pcapunit.core.capture;

import io.github.pcapunit.core.InvalidCaptureSpecException;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A capture filter built from typed pieces that renders to tcpdump/BPF text ({@link #bpf()}).
 * It covers what Windows' {@code pktmon filter add} and {@code netsh trace} filters express:
 * protocol, port, address, source/destination address, network, MAC address and ethertype
 * (the interface is chosen with {@link CaptureSpec.Builder#interfaces(String...)}).
 *
 * <pre>{@code
 * import static io.github.pcapunit.core.capture.CaptureFilter.*;
 *
 * CaptureFilter sql = tcp().port(1433).and(host("10.0.1.20"));
 * sql.bpf();                                   // "(tcp port 1433) and (host 10.0.1.20)"
 * CaptureFilter dns = udp().dstPort(53);       // "udp dst port 53"
 * CaptureFilter pings = icmp().or(icmp6());    // "(icmp) or (icmp6)"
 * CaptureFilter v4 = ethertype(EtherType.IPV4); // "ip"
 * CaptureFilter web = anyTransport().port(80); // "port 80" (TCP, UDP or SCTP)
 * }</pre>
 *
 * <p>Addresses must be literals: a host name would make libpcap query DNS while compiling the
 * filter. Values are checked when the piece is built and throw
 * {@link InvalidCaptureSpecException} naming the method and the value.
 */
public final class CaptureFilter {

    /** Link-layer protocol types, as pktmon's {@code -d} and netsh's {@code Ethernet.Type}. */
    public enum EtherType {
        /** IPv4 (0x0800), BPF {@code ip}. */
        IPV4("ip"),
        /** IPv6 (0x86DD), BPF {@code ip6}. */
        IPV6("ip6"),
        /** ARP (0x0806), BPF {@code arp}. */
        ARP("arp");

        private final String bpf;

        EtherType(String bpf) {
            this.bpf = bpf;
        }
    }

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern MAC = Pattern.compile("([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}");

    private final String text;
    /** The transport qualifier that port methods may use ("tcp", "udp", "" for any), or null. */
    private final String transport;
    private final boolean hasPort;

    private CaptureFilter(String text, String transport, boolean hasPort) {
        this.text = text;
        this.transport = transport;
        this.hasPort = hasPort;
    }

    /** TCP segments; narrow with {@link #port(int)}: {@code tcp().port(1433)}. */
    public static CaptureFilter tcp() {
        return new CaptureFilter("tcp", "tcp", false);
    }

    /** UDP datagrams; narrow with {@link #port(int)}: {@code udp().dstPort(53)}. */
    public static CaptureFilter udp() {
        return new CaptureFilter("udp", "udp", false);
    }

    /**
     * Any transport that has ports (TCP, UDP, SCTP), for a port filter without a protocol like
     * pktmon's {@code -p 80}: {@code anyTransport().port(80)} renders {@code port 80}.
     */
    public static CaptureFilter anyTransport() {
        return new CaptureFilter("", "", false);
    }

    /** ICMP for IPv4 (ping, unreachable, ...): {@code icmp()} renders {@code icmp}. */
    public static CaptureFilter icmp() {
        return new CaptureFilter("icmp", null, false);
    }

    /** ICMPv6 (ping6, neighbour discovery, ...): renders {@code icmp6}. */
    public static CaptureFilter icmp6() {
        return new CaptureFilter("icmp6", null, false);
    }

    /** Frames of one ethertype: {@code ethertype(EtherType.ARP)} renders {@code arp}. */
    public static CaptureFilter ethertype(EtherType type) {
        Objects.requireNonNull(type, "type");
        return new CaptureFilter(type.bpf, null, false);
    }

    /**
     * Frames of a numeric ethertype: {@code ethertype(0x88CC)} (LLDP) renders
     * {@code ether proto 0x88cc}.
     *
     * @throws InvalidCaptureSpecException when {@code type} is outside 0x0600-0xFFFF
     */
    public static CaptureFilter ethertype(int type) {
        if (type < 0x0600 || type > 0xFFFF) {
            throw new InvalidCaptureSpecException("ethertype", "0x" + Integer.toHexString(type),
                    "ethertype(0x" + Integer.toHexString(type) + ") is not an ethertype: use a value "
                            + "between 0x0600 and 0xffff, e.g. ethertype(0x88cc) for LLDP, or "
                            + "ethertype(EtherType.IPV4)");
        }
        return new CaptureFilter("ether proto 0x" + Integer.toHexString(type), null, false);
    }

    /** Packets from or to {@code address} (an IPv4 or IPv6 literal): renders {@code host A}. */
    public static CaptureFilter host(String address) {
        return new CaptureFilter("host " + address("host", address), null, false);
    }

    /** Packets from {@code address}: renders {@code src host A}. */
    public static CaptureFilter srcHost(String address) {
        return new CaptureFilter("src host " + address("srcHost", address), null, false);
    }

    /** Packets to {@code address}: renders {@code dst host A}. */
    public static CaptureFilter dstHost(String address) {
        return new CaptureFilter("dst host " + address("dstHost", address), null, false);
    }

    /**
     * Packets from or to a network in CIDR notation: {@code net("10.200.0.0/16")}.
     *
     * @throws InvalidCaptureSpecException when {@code cidr} is not {@code address/prefix}
     */
    public static CaptureFilter net(String cidr) {
        Objects.requireNonNull(cidr, "cidr");
        int slash = cidr.indexOf('/');
        boolean ok = slash > 0;
        if (ok) {
            String addr = cidr.substring(0, slash);
            String prefix = cidr.substring(slash + 1);
            int max = IPV4.matcher(addr).matches() ? 32 : IPV6.matcher(addr).matches() ? 128 : -1;
            ok = max > 0 && prefix.matches("\\d{1,3}") && Integer.parseInt(prefix) <= max;
        }
        if (!ok) {
            throw new InvalidCaptureSpecException("net", cidr, "net(\"" + cidr + "\") is not a network "
                    + "in CIDR notation: use an address literal and a prefix length, "
                    + "e.g. net(\"10.200.0.0/16\")");
        }
        return new CaptureFilter("net " + cidr, null, false);
    }

    /** Frames from or to a MAC address ({@code aa:bb:cc:dd:ee:ff}): renders {@code ether host M}. */
    public static CaptureFilter mac(String address) {
        Objects.requireNonNull(address, "address");
        if (!MAC.matcher(address).matches()) {
            throw new InvalidCaptureSpecException("mac", address, "mac(\"" + address + "\") is not a "
                    + "MAC address: use six hex pairs, e.g. mac(\"02:00:0a:c8:00:01\")");
        }
        return new CaptureFilter("ether host " + address.replace('-', ':').toLowerCase(java.util.Locale.ROOT),
                null, false);
    }

    /**
     * Raw tcpdump/BPF text, for what the typed pieces do not cover. It is checked by libpcap when
     * the capture starts (see {@link CaptureSpec#validate()}).
     */
    public static CaptureFilter bpf(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new InvalidCaptureSpecException("bpf", text, "bpf(\"\") is empty: leave the filter "
                    + "unset to capture everything, or give tcpdump filter text, e.g. \"tcp port 1433\"");
        }
        return new CaptureFilter(text.strip(), null, false);
    }

    /** Packets that do not match {@code filter}: renders {@code not (F)}. */
    public static CaptureFilter not(CaptureFilter filter) {
        return new CaptureFilter("not (" + filter.bpf() + ")", null, false);
    }

    /**
     * This protocol on {@code port}, either direction: {@code tcp().port(1433)} renders
     * {@code tcp port 1433}.
     *
     * @throws InvalidCaptureSpecException when the port is outside 0-65535, or this filter is
     *     not {@link #tcp()}, {@link #udp()} or {@link #anyTransport()}
     */
    public CaptureFilter port(int port) {
        return withPort("port", "port", port);
    }

    /** This protocol from source {@code port}: {@code tcp().srcPort(5000)} renders {@code tcp src port 5000}. */
    public CaptureFilter srcPort(int port) {
        return withPort("srcPort", "src port", port);
    }

    /** This protocol to destination {@code port}: {@code udp().dstPort(53)} renders {@code udp dst port 53}. */
    public CaptureFilter dstPort(int port) {
        return withPort("dstPort", "dst port", port);
    }

    /** Packets matching both: renders {@code (A) and (B)}. */
    public CaptureFilter and(CaptureFilter other) {
        return combine("and", other);
    }

    /** Packets matching either: renders {@code (A) or (B)}. */
    public CaptureFilter or(CaptureFilter other) {
        return combine("or", other);
    }

    /** The tcpdump/BPF filter text, e.g. {@code (tcp port 1433) and (host 10.0.1.20)}. */
    public String bpf() {
        return text.isEmpty() ? "tcp or udp or sctp" : text;
    }

    @Override
    public String toString() {
        return bpf();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaptureFilter && ((CaptureFilter) o).bpf().equals(bpf());
    }

    @Override
    public int hashCode() {
        return bpf().hashCode();
    }

    private CaptureFilter withPort(String method, String keyword, int port) {
        if (port < 0 || port > 65535) {
            throw new InvalidCaptureSpecException(method, Integer.toString(port), method + "(" + port
                    + ") is not a port: use 0-65535, e.g. tcp()." + method + "(1433)");
        }
        if (transport == null) {
            throw new InvalidCaptureSpecException(method, Integer.toString(port), method + "(" + port
                    + ") needs a protocol with ports, but this filter is \"" + bpf() + "\": start from "
                    + "tcp(), udp() or anyTransport(), e.g. tcp()." + method + "(" + port + ")");
        }
        String piece = keyword + " " + port;
        String rendered;
        if (hasPort) {
            rendered = text + " and " + piece;
        } else {
            rendered = transport.isEmpty() ? piece : transport + " " + piece;
        }
        return new CaptureFilter(rendered, transport, true);
    }

    private CaptureFilter combine(String operator, CaptureFilter other) {
        Objects.requireNonNull(other, "other");
        return new CaptureFilter("(" + bpf() + ") " + operator + " (" + other.bpf() + ")", null, false);
    }

    private static String address(String method, String address) {
        Objects.requireNonNull(address, method);
        if (IPV4.matcher(address).matches()) {
            return address;
        }
        if (IPV6.matcher(address).matches()) {
            try {
                java.net.InetAddress.getByName(address); // a literal with ':' never queries DNS
                return address;
            } catch (java.net.UnknownHostException e) {
                // fall through to the error below
            }
        }
        throw new InvalidCaptureSpecException(method, address, method + "(\"" + address + "\") is not an "
                + "IP address: give an IPv4 or IPv6 literal so compiling the filter never queries DNS, "
                + "e.g. " + method + "(\"10.0.1.20\")");
    }
}
