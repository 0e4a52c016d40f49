package io.github.pcapunit.core;

import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** if_tsresol (decimal and power-of-two) and if_tsoffset, written and hand-made. */
class PcapngTimestampTest {

    static final long NS = 1_714_558_530_123_456_789L;

    @Test
    void everyDecimalAndSeveralBinaryResolutions_roundTripWithinOneUnit() {
        // 10^-10 s and 2^-33 s still hold 2024 in an unsigned 64-bit count (above Long.MAX_VALUE)
        int[] resolutions = {0, 1, 3, 6, 7, 9, 10, 0x80, 0x80 | 1, 0x80 | 10, 0x80 | 20,
            0x80 | 30, 0x80 | 31, 0x80 | 32, 0x80 | 33};
        for (int res : resolutions) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (PcapngWriter w = PcapngWriter.open(out, SectionHeader.empty(),
                    InterfaceDescription.builder().tsresol(res).build())) {
                w.writePacket(0, NS, 1, new byte[1], 0, 1, null);
            }
            double unitNs = (res & 0x80) == 0 ? Math.pow(10, 9 - res) : 1e9 / Math.pow(2, res & 0x7F);
            try (PcapReader r = PcapReader.of(out.toByteArray())) {
                assertThat(r.nextPacket()).isTrue();
                assertThat(r.interfaces().get(0).tsresol()).isEqualTo(res);
                long got = r.timestampNanos();
                assertThat(got).as("tsresol 0x%02X", res).isLessThanOrEqualTo(NS);
                assertThat((double) (NS - got)).as("tsresol 0x%02X", res).isLessThan(unitNs + 1); // truncated on write and on read
            }
        }
    }

    @Test
    void resolutionTooFineForTheDate_orTimeBeforeEpoch_isRejectedWithTheFix() {
        for (int res : new int[] {11, 12, 18, 0x80 | 34, 0x80 | 63}) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (PcapngWriter w = PcapngWriter.open(out, SectionHeader.empty(),
                    InterfaceDescription.builder().tsresol(res).build())) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.writePacket(0, NS, 1, new byte[1], 0, 1, null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("cannot be represented").hasMessageContaining("TSRESOL_NANOS");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.writePacket(0, -5, 1, new byte[1], 0, 1, null))
                        .hasMessageContaining("before 1970");
            }
        }
    }

    @Test
    void ifTsoffset_isAddedToEveryTimestamp() {
        PcapTools.Blocks b = new PcapTools.Blocks(ByteOrder.BIG_ENDIAN).shb(null);
        byte[] offset = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(3600).array();
        b.begin().u16(1).u16(0).u32(0).opt(14, offset).endOpts().end(1);   // µs, +1 h
        b.epb(0, 1_000_000L, new byte[4], 4, null);                          // 1 s after the epoch
        try (PcapReader r = PcapReader.of(b.toByteArray())) {
            assertThat(r.nextPacket()).isTrue();
            assertThat(r.timestamp()).isEqualTo(Instant.ofEpochSecond(3601));
        }
    }
}
