package io.github.pcapunit.core.analysis.internal;

import io.github.pcapunit.core.packet.Endpoint;
import io.github.pcapunit.core.packet.Flow;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.core.packet.internal.Addresses;
import java.util.Arrays;

/** Raw client/server addresses of a flow, turned into public types on demand. */
public class EndpointPair {

    public final int ipVersion;
    public final int protocol;
    public final byte[] client;
    public final int clientPort;
    public final byte[] server;
    public final int serverPort;

    public EndpointPair(int ipVersion, int protocol, byte[] client, int clientPort, byte[] server, int serverPort) {
        int len = ipVersion == 4 ? 4 : 16;
        this.ipVersion = ipVersion;
        this.protocol = protocol;
        this.client = Arrays.copyOf(client, len);
        this.clientPort = clientPort;
        this.server = Arrays.copyOf(server, len);
        this.serverPort = serverPort;
    }

    /** Whether {@code f} travels on this flow, either way (same protocol, addresses and ports). */
    public boolean sameFlow(io.github.pcapunit.core.packet.internal.PacketFields f) {
        if (f.ipVersion != ipVersion || f.protocol != protocol) {
            return false;
        }
        return f.srcPort == clientPort && f.dstPort == serverPort ? same(client, f.src) && same(server, f.dst)
                : f.srcPort == serverPort && f.dstPort == clientPort && same(server, f.src) && same(client, f.dst);
    }

    private static boolean same(byte[] address, byte[] raw) {
        for (int i = 0; i < address.length; i++) {
            if (address[i] != raw[i]) {
                return false;
            }
        }
        return true;
    }

    public boolean fromClient(byte[] src, int sport) {
        if (sport != clientPort) {
            return false;
        }
        for (int i = 0; i < client.length; i++) {
            if (client[i] != src[i]) {
                return false;
            }
        }
        return true;
    }

    /** The public flow, client → server. */
    public Flow flow() {
        return Flow.of(IpProtocol.ofNumber(protocol),
                Endpoint.of(Addresses.of(client, client.length), clientPort),
                Endpoint.of(Addresses.of(server, server.length), serverPort));
    }
}
