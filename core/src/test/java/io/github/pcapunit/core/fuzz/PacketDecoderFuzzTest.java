package io.github.pcapunit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.pcapng.LinkType;

/**
 * Fuzz target for the packet decoder: any frame of any link type decodes - short frames
 * flagged truncated, impossible values malformed - and every accessor answers; the decoder
 * never throws on packet content. ICMP errors quote an inner packet, decoded too.
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=PacketDecoderFuzzTest
 * </pre>
 */
class PacketDecoderFuzzTest {

    /** The link types the decoder reads, and one it does not. */
    private static final int[] LINK_TYPES = {0, 1, 101, 108, 113, 228, 229, 239, 276, 147};

    @FuzzTest(maxDuration = "15s")
    void anyFrameOfAnyLinkType_decodesWithoutThrowing(FuzzedDataProvider data) {
        LinkType linkType = LinkType.of(data.pickValue(LINK_TYPES));
        byte[] frame = data.consumeRemainingAsBytes();
        DecodedPacket p = DecodedPacket.decode(frame, linkType);
        touch(p, frame.length);
        p.icmpOriginal().ifPresent(inner -> touch(inner, frame.length));
    }

    private static void touch(DecodedPacket p, int frameLength) {
        assertThat(p.capturedLength()).isBetween(0, frameLength);
        assertThat(p.payloadLength()).isBetween(-1, 65535); // from the IP header: may exceed a cut frame
        assertThat(p.sourcePort()).isBetween(-1, 65535);
        assertThat(p.destinationPort()).isBetween(-1, 65535);
        p.flow().ifPresent(f -> assertThat(f.toString()).isNotBlank());
        p.sourceAddress();
        p.destinationAddress();
        p.protocol();
        p.ttl();
        p.isFragment();
        p.tcpFlags();
        p.sequenceNumber();
        p.acknowledgmentNumber();
        p.window();
        p.icmpType();
        p.icmpCode();
        p.icmpIdentifier();
        p.icmpSequence();
        p.isEchoRequest();
        p.isEchoReply();
        p.isUnreachable();
        p.isTruncated();
        p.problem().ifPresent(msg -> assertThat(msg).isNotBlank());
        assertThat(p.summary()).isNotBlank();
        assertThat(p.toString()).isNotBlank();
    }
}
