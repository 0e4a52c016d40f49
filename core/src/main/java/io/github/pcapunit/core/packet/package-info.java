/**
 * <b>Layer 2, packets.</b> What one captured frame says: {@link io.github.pcapunit.core.packet.DecodedPacket}
 * (link, IPv4/IPv6, TCP/UDP/ICMP headers), its {@link io.github.pcapunit.core.packet.Flow} and
 * {@link io.github.pcapunit.core.packet.Endpoint}s. Uses the file-format layer only.
 */
package io.github.pcapunit.core.packet;
