package io.github.pcapunit.core.packet.internal;

import io.github.pcapunit.core.packet.DecodedPacket;
import java.util.Objects;

/**
 * The bridge between the public {@link DecodedPacket} and the decoder's {@link PacketFields}, for the
 * layers above that decode in bulk (analysis, the command line): wraps fields as a packet and reads
 * a packet's fields, without putting {@code PacketFields} in {@code DecodedPacket}'s public
 * signature. <strong>Not API.</strong>
 *
 * <pre>{@code DecodedPacket p = DecodedPackets.wrap(fields);}</pre>
 */
public final class DecodedPackets {

    /** Implemented by {@link DecodedPacket}, which installs it when its class initializes. */
    public interface Bridge {
        DecodedPacket wrap(PacketFields fields);

        PacketFields fields(DecodedPacket packet);
    }

    private static volatile Bridge bridge;

    private DecodedPackets() {
    }

    /** Called once by {@link DecodedPacket}'s static initializer. */
    public static void install(Bridge b) {
        bridge = Objects.requireNonNull(b, "bridge");
    }

    /** {@code fields} as a packet (not copied: the packet reads them as they are). */
    public static DecodedPacket wrap(PacketFields fields) {
        return bridge().wrap(fields);
    }

    /** The fields behind {@code packet}. */
    public static PacketFields fields(DecodedPacket packet) {
        return bridge().fields(packet);
    }

    private static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            try {
                Class.forName(DecodedPacket.class.getName(), true, DecodedPackets.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            b = bridge;
        }
        return b;
    }
}
