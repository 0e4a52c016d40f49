package io.github.pcapunit.core.pcapng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.PcapTools;
import io.github.pcapunit.core.pcapng.internal.RecordCursor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code .gz} capture (Wireshark reads {@code .pcapng.gz}; CI artifacts are often compressed)
 * is decompressed as it is read: the same records as the plain file, through any buffer size;
 * errors name the user's file; damaged or cut gzip data is a {@link PcapFormatException}, never a
 * silently shorter capture. tshark, which reads .gz too, referees.
 */
class GzipReadTest {

    private static final long T0 = 1_700_000_000_123_456_000L;

    @TempDir
    Path dir;

    private Path pcapng(String name, int packets) {
        Path file = dir.resolve(name);
        try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.builder().comment("gzip test").build(),
                InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build())) {
            for (int i = 0; i < packets; i++) {
                byte[] f = frame(i);
                w.writePacket(0, T0 + i * 1_000L, f.length, f, 0, f.length - (i % 3),
                        PacketOptions.builder().direction(i % 2 == 0 ? Direction.OUTBOUND : Direction.INBOUND).build());
            }
            w.writeJournal(JournalEntry.builder(java.time.Instant.ofEpochSecond(1_700_000_001)).field("MESSAGE", "m")
                    .build());
        }
        return file;
    }

    private static byte[] frame(int mark) {
        byte[] f = new byte[60 + mark % 200];
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        Arrays.fill(f, 14, f.length, (byte) mark);
        return f;
    }

    private Path gzip(Path file, String name) throws IOException {
        Path gz = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(file, out);
        }
        return gz;
    }

    /** Every record and how the walk ended, as text. */
    private static List<String> walk(RecordCursor c) {
        List<String> out = new ArrayList<>();
        try (c) {
            for (PcapReader.RecordKind k = c.next(); k != PcapReader.RecordKind.END; k = c.next()) {
                out.add(k + "@" + c.recordOffset() + (k == PcapReader.RecordKind.PACKET ? " t=" + c.timestampNanos()
                        + " " + c.capturedLength() + "/" + c.originalLength() + " flags=" + c.flags() + " "
                        + Arrays.hashCode(Arrays.copyOfRange(c.array(), c.payloadOffset(),
                                c.payloadOffset() + c.capturedLength())) : " " + c.journalEntry()));
            }
            out.add("end " + c.truncatedAt() + " " + c.sections() + " " + c.interfaces());
        }
        return out;
    }

    @Test
    void pcapngGz_readsTheSameRecordsAsThePlainFile_throughAnyBuffer() throws Exception {
        Path plain = pcapng("app.pcapng", 3000); // ~400 KB: several refills of a 64 KiB inflater
        Path gz = gzip(plain, "app.pcapng.gz");
        List<String> expected = walk(RecordCursor.open(plain));
        assertThat(expected).hasSize(3002);

        assertThat(walk(RecordCursor.open(gz))).isEqualTo(expected);
        for (int buffer : new int[] {64, 100, 4096}) {
            assertThat(walk(RecordCursor.open(gz, buffer))).as("buffer %d", buffer).isEqualTo(expected);
        }
        // the referee reads the .gz as the same frames
        assertThat(PcapTools.tsharkFields(gz, "frame.number", "frame.time_epoch", "frame.len", "frame.cap_len"))
                .isEqualTo(PcapTools.tsharkFields(plain, "frame.number", "frame.time_epoch", "frame.len", "frame.cap_len"));
    }

    @Test
    void classicPcapVariantGz_endingInTheProbe_isStillTheVariant() throws Exception {
        // GIVEN a RedHat 6.1 pcap of two frames: the variant probe reaches the end of the data,
        // whose size a compressed file only learns there
        byte[][] frames = {frame(1), frame(2)};
        Path standard = Files.write(dir.resolve("standard.pcap"), PcapTools.classicPcap(ByteOrder.LITTLE_ENDIAN, false,
                1, 65535, new long[] {T0, T0 + 1000}, frames, new int[] {frames[0].length, frames[1].length}));
        Path variant = dir.resolve("rh.pcap");
        PcapTools.run("editcap", "-F", "rh6_1pcap", standard.toString(), variant.toString());
        Path gz = gzip(variant, "rh.pcap.GZ");

        try (PcapReader r = PcapReader.open(gz)) {
            List<Packet> packets = new ArrayList<>();
            r.forEach(packets::add);
            assertThat(packets).hasSize(2);
            assertThat(packets.get(1).data()).isEqualTo(frames[1]);
            assertThat(packets.get(1).timestampNanos()).isEqualTo(T0 + 1000);
            assertThat(r.truncatedAt()).isEmpty();
        }
    }

    @Test
    void cutGz_isAFormatError_namingTheFileAndTheCheck() throws Exception {
        Path gz = gzip(pcapng("cut.pcapng", 3000), "cut.pcapng.gz");
        byte[] bytes = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> walk(RecordCursor.open(gz))).isInstanceOf(PcapFormatException.class)
                .hasMessageStartingWith(gz + " (decompressed): the gzip data ends before its end marker, so the file"
                        + " is cut short after ")
                .hasMessageEndingWith("check the download is complete with: gzip -t " + gz);
    }

    @Test
    void damagedGz_isAFormatError_notAShorterCapture() throws Exception {
        Path gz = gzip(pcapng("bad.pcapng", 3000), "bad.pcapng.gz");
        byte[] bytes = Files.readAllBytes(gz);
        // the CRC-32 in the trailer: every byte decompresses, the check at the end fails
        bytes[bytes.length - 6] ^= 0x55;
        Files.write(gz, bytes);

        assertThatThrownBy(() -> walk(RecordCursor.open(gz))).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining(gz + " (decompressed): the gzip data is damaged (")
                .hasMessageContaining("gzip -t " + gz);
    }

    @Test
    void gzipWithoutGzName_isRefusedWithTheHint_andGzNameWithoutGzip_isReadAsItIs() throws Exception {
        Path plain = pcapng("p.pcapng", 3);
        Path unnamed = gzip(plain, "compressed.pcapng");
        assertThatThrownBy(() -> PcapReader.open(unnamed)).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("not a pcap or pcapng file").hasMessageContaining("it looks gzip-compressed:"
                        + " name it *.gz");

        Path notCompressed = Files.copy(plain, dir.resolve("plain.pcapng.gz"));
        assertThat(walk(RecordCursor.open(notCompressed))).isEqualTo(walk(RecordCursor.open(plain)));
    }

    @Test
    void emptyGz_isTooShort_namingTheFile() throws Exception {
        Path gz = dir.resolve("empty.pcap.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(new ByteArrayOutputStream().toByteArray());
        }
        assertThatThrownBy(() -> PcapReader.open(gz)).isInstanceOf(PcapFormatException.class)
                .hasMessageStartingWith(gz + " (decompressed): file is 0 bytes long");
    }
}
