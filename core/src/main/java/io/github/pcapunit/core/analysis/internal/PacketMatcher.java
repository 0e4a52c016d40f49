package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.packet.internal.PacketFields;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small evaluator for the common subset of tcpdump filter syntax, applied to decoded packets
 * (no libpcap needed): protocols, ports, port ranges, hosts, nets, and/or/not, parentheses.
 * ICMP errors whose quoted packet matches also match.
 */
public final class PacketMatcher {

    static final String SUPPORTED = "Supported: tcp, udp, icmp, icmp6, ip, ip6; [src|dst] port N;"
            + " [src|dst] portrange N-M; [src|dst] host ADDR; [src|dst] net ADDR/LEN; a bare address;"
            + " a protocol before port/host (\"tcp port 1433\"); and, or, not, &&, ||, !, parentheses."
            + " Example: \"tcp port 1433 and host 10.0.1.20\".";

    private interface Node {
        boolean test(PacketFields f);
    }

    private final String text;
    private final Node root;

    private PacketMatcher(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** The expression as given. */
    public String text() {
        return text;
    }

    /** Whether {@code f} (or, for an ICMP error, the packet it quotes) matches. */
    public boolean matches(PacketFields f) {
        return root.test(f) || (f.hasInner && f.inner != null && root.test(f.inner));
    }

    /** Both matchers. */
    public static PacketMatcher and(PacketMatcher a, PacketMatcher b) {
        Node an = a.root;
        Node bn = b.root;
        return new PacketMatcher("(" + a.text + ") and (" + b.text + ")", f -> an.test(f) && bn.test(f));
    }

    /**
     * Parses {@code expression}.
     *
     * @throws InvalidFilterException naming the unsupported token and the supported syntax
     */
    public static PacketMatcher parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new InvalidFilterException(String.valueOf(expression), "empty expression",
                    "filter(" + (expression == null ? "null" : "\"" + expression + "\"")
                            + ") is empty: give an expression such as \"tcp port 1433\". " + SUPPORTED);
        }
        Parser p = new Parser(expression);
        Node n = p.expr();
        if (p.pos < p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.pos) + "'");
        }
        return new PacketMatcher(expression.trim(), n);
    }

    private static final class Parser {
        final String source;
        final List<String> tokens = new ArrayList<>();
        int pos;

        Parser(String source) {
            this.source = source;
            StringBuilder cur = new StringBuilder();
            for (int i = 0; i < source.length(); i++) {
                char c = source.charAt(i);
                if (Character.isWhitespace(c) || c == '(' || c == ')' || c == '!') {
                    if (c == '!' && i + 1 < source.length() && source.charAt(i + 1) == '=') {
                        cur.append(c);
                        continue;
                    }
                    flush(cur);
                    if (!Character.isWhitespace(c)) {
                        tokens.add(String.valueOf(c));
                    }
                } else if ((c == '&' || c == '|') && i + 1 < source.length() && source.charAt(i + 1) == c) {
                    flush(cur);
                    tokens.add(c == '&' ? "and" : "or");
                    i++;
                } else {
                    cur.append(c);
                }
            }
            flush(cur);
        }

        private void flush(StringBuilder cur) {
            if (cur.length() > 0) {
                tokens.add(cur.toString().toLowerCase(Locale.ROOT));
                cur.setLength(0);
            }
        }

        InvalidFilterException error(String reason) {
            return new InvalidFilterException(source, reason, "filter(\"" + source + "\") is not supported: "
                    + reason + ". " + SUPPORTED);
        }

        String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        String take(String what) {
            if (pos >= tokens.size()) {
                throw error("expected " + what + " at the end");
            }
            return tokens.get(pos++);
        }

        Node expr() {
            Node left = term();
            while ("or".equals(peek())) {
                pos++;
                Node l = left;
                Node r = term();
                left = f -> l.test(f) || r.test(f);
            }
            return left;
        }

        Node term() {
            Node left = factor();
            while ("and".equals(peek())) {
                pos++;
                Node l = left;
                Node r = factor();
                left = f -> l.test(f) && r.test(f);
            }
            return left;
        }

        Node factor() {
            String t = take("a primitive such as \"port 1433\"");
            if (t.equals("not") || t.equals("!")) {
                Node n = factor();
                return f -> !n.test(f);
            }
            if (t.equals("(")) {
                Node n = expr();
                if (!")".equals(take("')'"))) {
                    throw error("missing ')'");
                }
                return n;
            }
            pos--;
            return primitive();
        }

        Node primitive() {
            String t = take("a primitive");
            Node proto = protocol(t);
            if (proto != null) {
                String next = peek();
                if (next != null && (next.equals("src") || next.equals("dst") || next.equals("port")
                        || next.equals("portrange") || next.equals("host"))) {
                    Node q = qualified(take("a qualifier"));
                    return f -> proto.test(f) && q.test(f);
                }
                return proto;
            }
            return qualified(t);
        }

        Node protocol(String t) {
            switch (t) {
                case "tcp": return f -> f.protocol == 6;
                case "udp": return f -> f.protocol == 17;
                case "icmp": return f -> f.protocol == 1;
                case "icmp6": return f -> f.protocol == 58;
                case "ip": return f -> f.ipVersion == 4;
                case "ip6": return f -> f.ipVersion == 6;
                default: return null;
            }
        }

        Node qualified(String t) {
            int dir = 0; // 0 either, 1 src, 2 dst
            if (t.equals("src") || t.equals("dst")) {
                dir = t.equals("src") ? 1 : 2;
                t = take("port, portrange, host or net after '" + t + "'");
                if (t.equals("or") || t.equals("and")) {
                    throw error("'src or dst' / 'src and dst' are not supported: write the two primitives out");
                }
            }
            final int d = dir;
            switch (t) {
                case "port": {
                    int port = port(take("a port number"));
                    return f -> f.srcPort >= 0 && ((d != 2 && f.srcPort == port) || (d != 1 && f.dstPort == port));
                }
                case "portrange": {
                    String r = take("a port range N-M");
                    int dash = r.indexOf('-');
                    if (dash < 0) {
                        throw error("portrange '" + r + "' is not N-M");
                    }
                    int lo = port(r.substring(0, dash));
                    int hi = port(r.substring(dash + 1));
                    return f -> f.srcPort >= 0 && ((d != 2 && f.srcPort >= lo && f.srcPort <= hi)
                            || (d != 1 && f.dstPort >= lo && f.dstPort <= hi));
                }
                case "host":
                    return host(address(take("an address")), -1, d);
                case "net": {
                    String n = take("a network ADDR/LEN");
                    int slash = n.indexOf('/');
                    InetAddress a = address(slash < 0 ? n : n.substring(0, slash));
                    int bits = a.getAddress().length * 8;
                    if (slash >= 0) {
                        try {
                            bits = Integer.parseInt(n.substring(slash + 1));
                        } catch (NumberFormatException e) {
                            throw error("prefix length in '" + n + "' is not a number");
                        }
                    }
                    if (bits < 0 || bits > a.getAddress().length * 8) {
                        throw error("prefix length " + bits + " out of range in '" + n + "'");
                    }
                    return host(a, bits, d);
                }
                default:
                    if (looksLikeAddress(t)) {
                        return host(address(t), -1, d);
                    }
                    throw error("unknown or unsupported primitive '" + t + "'");
            }
        }

        private boolean looksLikeAddress(String t) {
            return t.indexOf(':') >= 0 || (!t.isEmpty() && t.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')
                    && t.chars().filter(c -> c == '.').count() == 3);
        }

        int port(String s) {
            try {
                int p = Integer.parseInt(s);
                if (p < 0 || p > 65535) {
                    throw error("port " + p + " is out of range 0..65535");
                }
                return p;
            } catch (NumberFormatException e) {
                throw error("port '" + s + "' is not a number (service names are not supported)");
            }
        }

        InetAddress address(String s) {
            if (!looksLikeAddress(s)) {
                throw error("'" + s + "' is not a numeric IP address (host names are not supported)");
            }
            try {
                return InetAddress.getByName(s);
            } catch (UnknownHostException e) {
                throw error("'" + s + "' is not a valid IP address");
            }
        }

        private static Node host(InetAddress a, int bits, int dir) {
            byte[] want = a.getAddress();
            int version = want.length == 4 ? 4 : 6;
            int prefix = bits < 0 ? want.length * 8 : bits;
            return f -> f.ipVersion == version
                    && ((dir != 2 && prefixEquals(f.src, want, prefix)) || (dir != 1 && prefixEquals(f.dst, want, prefix)));
        }

        private static boolean prefixEquals(byte[] have, byte[] want, int bits) {
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (have[i] != want[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (have[full] & mask) == (want[full] & mask);
        }
    }
}
