package io.github.pcapunit.core;

import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated files yield their complete part; damaged ones fail with offset and block type. */
class PcapMalformedInputTest {

    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2024-05-01T10:15:30.123456789Z");

    /** A pcapng with 5 packets of different sizes and a journal entry; returns block offsets too. */
    static byte[] sample(List<Long> blockStarts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapngWriter w = PcapngWriter.open(out, SectionHeader.empty(),
                InterfaceDescription.builder().name("lo").build())) {
            for (int i = 0; i < 5; i++) {
                w.flush();
                blockStarts.add(w.bytesWritten());
                byte[] f = PcapTools.udpFrame(60 + i * 7, i);
                w.writePacket(0, T0.plusMillis(i), f.length, f, 0, f.length,
                        i == 2 ? PacketOptions.builder().comment("c").build() : null);
            }
            blockStarts.add(w.bytesWritten());
            w.writeJournal(JournalEntry.builder(T0).field("MESSAGE", "m").build());
            blockStarts.add(w.bytesWritten());
        }
        return out.toByteArray();
    }

    @Test
    void pcapngCutAtEveryByte_yieldsCompletePacketsThenTruncatedAt() {
        List<Long> starts = new ArrayList<>();
        byte[] full = sample(starts);
        long firstPacket = starts.get(0);
        for (int cut = (int) firstPacket; cut < full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            int complete = 0;
            long incompleteAt = -1;
            for (int b = 0; b + 1 < starts.size(); b++) {
                if (starts.get(b + 1) <= cut) {
                    complete = b + 1;
                } else {
                    incompleteAt = starts.get(b) < cut ? starts.get(b) : -1;
                    break;
                }
            }
            int packets = Math.min(complete, 5);
            try (PcapReader r = PcapReader.of(part)) {
                int n = 0;
                while (r.nextPacket()) {
                    n++;
                }
                assertThat(n).as("packets in a file cut at %d", cut).isEqualTo(packets);
                if (incompleteAt < 0) {
                    assertThat(r.truncatedAt()).as("cut at block boundary %d", cut).isEmpty();
                } else {
                    assertThat(r.truncatedAt()).as("cut at %d", cut).hasValue(incompleteAt);
                }
            }
        }
    }

    @Test
    void classicPcapCutInRecordHeaderOrData_yieldsCompletePacketsThenTruncatedAt() throws Exception {
        long[] ts = {1, 2, 3};
        byte[][] frames = {PcapTools.udpFrame(60, 1), PcapTools.udpFrame(70, 2), PcapTools.udpFrame(80, 3)};
        byte[] full = PcapTools.classicPcap(ByteOrder.LITTLE_ENDIAN, true, 1, 65535, ts, frames, new int[] {60, 70, 80});
        long third = 24 + 16 + 60 + 16 + 70;
        for (int cut : new int[] {(int) third + 3, (int) third + 16, full.length - 1}) {
            Path f = PcapTools.write(dir.resolve("cut" + cut + ".pcap"), Arrays.copyOf(full, cut));
            try (PcapReader r = PcapReader.open(f)) {
                assertThat(r.packets().count()).isEqualTo(2);
                assertThat(r.truncatedAt()).hasValue(third);
            }
        }
    }

    private static PcapFormatException readAll(byte[] data) {
        return catchThrowableOfType(PcapFormatException.class, () -> {
            try (PcapReader r = PcapReader.of(data)) {
                while (r.next() != PcapReader.RecordKind.END) {
                    // walk
                }
            }
        });
    }

    private static byte[] patchInt(byte[] data, long at, int value) {
        byte[] copy = data.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt((int) at, value);
        return copy;
    }

    @Test
    void bogusHugeBlockLength_failsNamingOffsetAndBlockType_withoutAllocatingIt() {
        List<Long> starts = new ArrayList<>();
        byte[] full = sample(starts);
        long at = starts.get(1);
        PcapFormatException e = readAll(patchInt(full, at + 4, 0xFFFFFFF0));
        assertThat(e.offset()).isEqualTo(at);
        assertThat(e.blockType()).isEqualTo(6);
        assertThat(e).hasMessageContaining("Enhanced Packet Block (type 0x00000006) at byte offset " + at)
                .hasMessageContaining("block total length 4294967280").hasMessageContaining("64 MiB");
    }

    @Test
    void blockLengthBelow12_notMultipleOf4_orMismatchedTrailer_failWithOffsets() {
        List<Long> starts = new ArrayList<>();
        byte[] full = sample(starts);
        long at = starts.get(2);
        assertThat(readAll(patchInt(full, at + 4, 8)))
                .hasMessageContaining("at byte offset " + at).hasMessageContaining("less than the minimum of 12");
        assertThat(readAll(patchInt(full, at + 4, 50)))
                .hasMessageContaining("at byte offset " + at).hasMessageContaining("not a multiple of 4");
        long next = starts.get(3);
        PcapFormatException e = readAll(patchInt(full, next - 4, 1234));
        assertThat(e.offset()).isEqualTo(at);
        assertThat(e).hasMessageContaining("does not match the trailing length 1234 at byte offset " + (next - 4));
    }

    @Test
    void unknownMagic_emptyFile_andBadByteOrderMagic_fail() {
        assertThat(readAll(new byte[] {'G', 'I', 'F', '8', '9', 'a', 0, 0}))
                .hasMessageContaining("starts with 0x47494638 at byte offset 0")
                .hasMessageContaining("0xA1B2C3D4");
        assertThat(readAll(new byte[0])).hasMessageContaining("0 bytes long");
        byte[] full = sample(new ArrayList<>());
        PcapFormatException e = readAll(patchInt(full, 8, 0x11223344));
        assertThat(e.offset()).isZero();
        assertThat(e).hasMessageContaining("Section Header Block").hasMessageContaining("byte-order magic is 0x44332211");
    }

    @Test
    void packetFieldsPointingOutside_failInsteadOfIndexOutOfBounds() {
        List<Long> starts = new ArrayList<>();
        byte[] full = sample(starts);
        long at = starts.get(0);
        assertThat(readAll(patchInt(full, at + 20, 5000)))  // captured length > block
                .hasMessageContaining("captured length 5000 runs past the block end");
        assertThat(readAll(patchInt(full, at + 8, 3)))      // interface id 3 of 1
                .hasMessageContaining("refers to interface 3 but the section defines 1 interface(s)");
        long withComment = starts.get(2);
        int optAt = (int) withComment + 28 + ((60 + 14 + 3) & ~3);
        byte[] bad = full.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putShort(optAt + 2, (short) 400);
        assertThat(readAll(bad)).hasMessageContaining("option 1 at byte offset " + optAt)
                .hasMessageContaining("running past the block end");
        // classic pcap record claiming 1 GiB
        byte[] pcap = PcapTools.classicPcap(ByteOrder.BIG_ENDIAN, false, 1, 65535, new long[] {1},
                new byte[][] {new byte[20]}, new int[] {20});
        ByteBuffer.wrap(pcap).putInt(24 + 8, 1 << 30);
        assertThat(readAll(pcap)).hasMessageContaining("pcap record at byte offset 24")
                .hasMessageContaining("captured length 1073741824 exceeds the 64 MiB limit");
    }

    @Test
    void readerMisuse_namesTheCallToMakeFirst() {
        try (PcapReader r = PcapReader.of(sample(new ArrayList<>()))) {
            assertThatThrownBy(r::payload).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("call nextPacket()");
            assertThatThrownBy(r::journalEntry).hasMessageContaining("RecordKind.JOURNAL");
            r.close();
            assertThatThrownBy(r::nextPacket).hasMessageContaining("is closed");
        }
        assertThatThrownBy(() -> PcapReader.open(dir.resolve("missing.pcap")))
                .isInstanceOf(CaptureException.class).hasMessageContaining("missing.pcap");
    }
}
