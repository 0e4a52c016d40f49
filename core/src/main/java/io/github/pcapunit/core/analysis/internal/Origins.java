package io.github.pcapunit.core.analysis.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * "Who sent it": the TTLs / hop limits each address's ordinary packets arrived with (SYN-ACKs,
 * data, echo replies, UDP answers; never resets or ICMP errors), against which a reset or an
 * ICMP error claiming to come from that address is checked. A packet that left its sender with
 * the same initial TTL and crossed N fewer routers arrives with a TTL N higher: it was sent by a
 * device N hops closer, not by the address it names.
 *
 * <pre>{@code
 * Origins.Origin o = Origins.of(result).check(server, 64, connectionServerTtls);
 * o.kind();   // CLOSER, o.hops() == 1
 * }</pre>
 */
public final class Origins {

    /** How a claimed sender compares with what that address otherwise sent. */
    public enum Kind {
        /** The TTL equals one its ordinary packets arrived with. */
        MATCH,
        /** The TTL is higher: sent by a device {@code hops} closer to the capture point. */
        CLOSER,
        /** The TTL is lower: sent from {@code hops} farther away than the address. */
        FARTHER,
        /** The TTL belongs to another initial value (e.g. 255 against 64): another network stack. */
        OTHER_STACK,
        /** Nothing else came from the address: the claim cannot be checked. */
        UNVERIFIED
    }

    /**
     * The check of one packet's claimed origin.
     *
     * @param kind the outcome
     * @param ttl the packet's TTL / hop limit
     * @param reference the address's ordinary TTLs, e.g. {@code "63"}; empty when unverified
     * @param hops the hop difference for CLOSER / FARTHER, else 0
     */
    public record Origin(Kind kind, int ttl, String reference, int hops) {

        /** Whether the packet came from another device than the address it names. */
        public boolean spoofedByPath() {
            return kind == Kind.CLOSER || kind == Kind.FARTHER || kind == Kind.OTHER_STACK;
        }

        /**
         * The evidence line, e.g. {@code "the RST from 10.200.3.20 arrived with TTL 64, 1 hop closer than
         * 10.200.3.20's own packets (TTL 63): sent by a device on the path, not by 10.200.3.20"}.
         */
        public String line(String what, String address, int ipVersion) {
            String unit = ipVersion == 6 ? "hop limit " : "TTL ";
            String head = "the " + what + " from " + address + " arrived with " + unit + ttl;
            return switch (kind) {
                case MATCH -> head + ", as " + address + "'s own packets did: sent by " + address;
                case CLOSER -> head + ", " + hops + (hops == 1 ? " hop" : " hops") + " closer than " + address
                        + "'s own packets (" + unit + reference + "): sent by a device "
                        + hops + (hops == 1 ? " hop" : " hops") + " closer than " + address + ", not by " + address;
                case FARTHER -> head + ", " + hops + (hops == 1 ? " hop" : " hops") + " farther than " + address
                        + "'s own packets (" + unit + reference + "): not sent by " + address;
                case OTHER_STACK -> head + " while " + address + "'s own packets arrived with " + unit + reference
                        + " (another initial value): sent by another device, not by " + address;
                case UNVERIFIED -> head + "; nothing else from " + address
                        + " was captured to compare it with: the origin is unverified";
            };
        }
    }

    private final AnalysisResult result;
    /** By address (as a direction-free {@link FlowKey} of the address with itself: no text per packet). */
    private Map<FlowKey, TtlSet> byAddress;
    private final byte[][] lastAddress = new byte[2][];
    private final TtlSet[] lastSet = new TtlSet[2];

    private Origins(AnalysisResult result) {
        this.result = result;
    }

    /**
     * The ordinary TTLs of every address in {@code r}, gathered on the first question: a capture
     * without resets or ICMP errors (the common, large case) never pays for the table.
     */
    public static Origins of(AnalysisResult r) {
        return new Origins(r);
    }

    private synchronized Map<FlowKey, TtlSet> table() {
        if (byAddress == null) {
            byAddress = new HashMap<>();
            for (TcpState c : result.tcp) {
                add(c.client, c.clientTtls);
                add(c.server, c.serverTtls);
            }
            for (UdpState u : result.udp) {
                add(u.client, u.clientTtls);
                add(u.server, u.serverTtls);
            }
            for (EchoRecord e : result.echoes) {
                if (e.requestTtl > 0) {
                    set(e.source).add(e.requestTtl);
                }
                if (e.answered() && e.replyTtl > 0) {
                    set(e.destination).add(e.replyTtl);
                }
            }
        }
        return byAddress;
    }

    private void add(byte[] address, TtlSet ttls) {
        if (!ttls.isEmpty()) {
            set(address).addAll(ttls);
        }
    }

    private TtlSet set(byte[] address) {
        // Flows come in runs of one client and one server: skip the map for either repeated address.
        if (java.util.Arrays.equals(address, lastAddress[0])) {
            return lastSet[0];
        }
        if (java.util.Arrays.equals(address, lastAddress[1])) {
            return lastSet[1];
        }
        TtlSet s = lookup(address);
        lastAddress[1] = lastAddress[0];
        lastSet[1] = lastSet[0];
        lastAddress[0] = address;
        lastSet[0] = s;
        return s;
    }

    private TtlSet lookup(byte[] address) {
        FlowKey k = key(address);
        TtlSet s = byAddress.get(k);
        if (s == null) {
            s = new TtlSet();
            byAddress.put(k, s);
        }
        return s;
    }

    private static FlowKey key(byte[] address) {
        FlowKey k = new FlowKey();
        int version = address.length == 4 ? 4 : 6;
        k.set(version, 0, address, 0, address, 0);
        return k;
    }

    /** The ordinary TTLs seen from {@code address} (empty set when none). */
    public TtlSet of(byte[] address) {
        TtlSet s = table().get(key(address));
        return s == null ? new TtlSet() : s;
    }

    /** Checks a packet from {@code address} that arrived with {@code ttl}. */
    public Origin check(byte[] address, int ttl) {
        return compare(ttl, of(address));
    }

    /** Compares {@code ttl} with {@code reference}. */
    public static Origin compare(int ttl, TtlSet reference) {
        if (ttl <= 0 || reference.isEmpty()) {
            return new Origin(Kind.UNVERIFIED, ttl, "", 0);
        }
        if (reference.contains(ttl)) {
            return new Origin(Kind.MATCH, ttl, reference.text(), 0);
        }
        int nearest = reference.nearest(ttl);
        if (TtlSet.initial(nearest) != TtlSet.initial(ttl)) {
            return new Origin(Kind.OTHER_STACK, ttl, reference.text(), 0);
        }
        return ttl > nearest ? new Origin(Kind.CLOSER, ttl, reference.text(), ttl - nearest)
                : new Origin(Kind.FARTHER, ttl, reference.text(), nearest - ttl);
    }
}
