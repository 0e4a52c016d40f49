package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.internal.PacketFields;

/**
 * Direction-independent key of a transport flow (protocol, two address+port endpoints), with
 * endpoint A the lesser one. Used as a reusable probe (no allocation per lookup) and copied when
 * stored.
 */
final class FlowKey {

    int version;
    int protocol;
    long aHi;
    long aLo;
    int aPort;
    long bHi;
    long bLo;
    int bPort;
    private int hash;

    static long hi(byte[] a, int len) {
        return len == 4 ? 0 : word(a, 0);
    }

    static long lo(byte[] a, int len) {
        return len == 4 ? word4(a) : word(a, 8);
    }

    private static long word4(byte[] a) {
        return ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    }

    private static long word(byte[] a, int o) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (a[o + i] & 0xffL);
        }
        return v;
    }

    /**
     * Sets the key from src/dst of {@code f} (or of a quoted packet); returns true when the
     * packet's source is endpoint A.
     */
    boolean set(int version, int protocol, byte[] src, int sport, byte[] dst, int dport) {
        int len = version == 4 ? 4 : 16;
        long sHi = hi(src, len);
        long sLo = lo(src, len);
        long dHi = hi(dst, len);
        long dLo = lo(dst, len);
        int c = Long.compareUnsigned(sHi, dHi);
        if (c == 0) {
            c = Long.compareUnsigned(sLo, dLo);
        }
        if (c == 0) {
            c = Integer.compare(sport, dport);
        }
        boolean forward = c <= 0;
        this.version = version;
        this.protocol = protocol;
        if (forward) {
            aHi = sHi; aLo = sLo; aPort = sport; bHi = dHi; bLo = dLo; bPort = dport;
        } else {
            aHi = dHi; aLo = dLo; aPort = dport; bHi = sHi; bLo = sLo; bPort = sport;
        }
        long h = aHi * 31 + aLo;
        h = h * 31 + bHi;
        h = h * 31 + bLo;
        h = h * 31 + ((long) aPort << 16 | bPort);
        h = h * 31 + protocol;
        // A full 64-bit mix: addresses and ports differ in few low bits between flows.
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        hash = (int) h;
        return forward;
    }

    boolean set(PacketFields f) {
        return set(f.ipVersion, f.protocol, f.src, f.srcPort, f.dst, f.dstPort);
    }

    FlowKey copy() {
        FlowKey k = new FlowKey();
        k.version = version;
        k.protocol = protocol;
        k.aHi = aHi;
        k.aLo = aLo;
        k.aPort = aPort;
        k.bHi = bHi;
        k.bLo = bLo;
        k.bPort = bPort;
        k.hash = hash;
        return k;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowKey)) {
            return false;
        }
        FlowKey k = (FlowKey) o;
        return hash == k.hash && aLo == k.aLo && bLo == k.bLo && aPort == k.aPort && bPort == k.bPort
                && aHi == k.aHi && bHi == k.bHi && protocol == k.protocol && version == k.version;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
