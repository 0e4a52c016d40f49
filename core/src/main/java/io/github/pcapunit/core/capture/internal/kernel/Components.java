package io.github.pcapunit.core.capture.internal.kernel;

/** Readable names for the kernel function that freed a packet, as pktmon names its "Component". */
final class Components {

    private Components() {
    }

    /**
     * {@code nft_do_chain} → "netfilter (nftables)", {@code nf_hook_slow} → "netfilter (iptables-legacy)",
     * {@code tcp_v4_rcv} with {@code NO_SOCKET} → "TCP (no socket)", anything else "kernel".
     */
    static String of(String location, String reason) {
        String l = location == null ? "" : location;
        if (l.startsWith("nft_")) {
            return "netfilter (nftables)";
        }
        if (l.equals("ipt_do_table") || l.equals("ip6t_do_table")) {
            return "netfilter (iptables)";
        }
        if (l.startsWith("nf_hook") || l.startsWith("nf_")) {
            return "netfilter (iptables-legacy)";
        }
        if (l.startsWith("tcp_")) {
            return "NO_SOCKET".equals(reason) ? "TCP (no socket)" : "TCP";
        }
        if (l.startsWith("udp") || l.startsWith("__udp")) {
            return "NO_SOCKET".equals(reason) ? "UDP (no socket)" : "UDP";
        }
        if (l.startsWith("icmp")) {
            return "ICMP";
        }
        if (l.startsWith("ip6") || l.startsWith("ipv6")) {
            return "IPv6";
        }
        if (l.startsWith("ip_") || l.startsWith("ip4")) {
            return "IPv4";
        }
        if (l.startsWith("neigh") || l.startsWith("arp")) {
            return "neighbour (ARP/NDP)";
        }
        if (l.contains("qdisc") || l.startsWith("sch_") || l.startsWith("pfifo")) {
            return "qdisc (traffic control)";
        }
        if (l.startsWith("tcf_") || l.startsWith("tc_")) {
            return "tc";
        }
        if (l.contains("xdp")) {
            return "XDP";
        }
        return "kernel";
    }

    /** "netfilter (nftables)" + "nft_do_chain" → "netfilter (nftables, nft_do_chain)"; "kernel" → "kernel (foo)". */
    static String withLocation(String component, String location) {
        if (location == null || location.isEmpty()) {
            return component;
        }
        if (component.endsWith(")")) {
            return component.substring(0, component.length() - 1) + ", " + location + ")";
        }
        return component + " (" + location + ")";
    }
}
