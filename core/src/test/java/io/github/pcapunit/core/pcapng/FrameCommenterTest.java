package io.github.pcapunit.core.pcapng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.PcapTools;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packet comments chosen during conversion: seen first, then written once, within the size cap. */
class FrameCommenterTest {

    private static final long T = 1_714_558_530_000_000_000L;

    @TempDir
    Path dir;

    /** Records what it observes; comments the packets whose UDP sequence byte is odd. */
    private static final class Recording implements FrameCommenter {
        final List<String> observed = new ArrayList<>();
        final List<Long> odd = new ArrayList<>();
        final String text;

        Recording(String text) {
            this.text = text;
        }

        @Override
        public void observe(long frameNumber, long epochNanos, int linkType, byte[] data, int capturedLength) {
            observed.add(frameNumber + "@" + (epochNanos - T) + "/" + linkType + "/" + capturedLength);
            if ((data[capturedLength - 1] & 1) == 1) {
                odd.add(frameNumber);
            }
        }

        @Override
        public List<String> comments(long frameNumber) {
            return odd.contains(frameNumber) ? List.of(text + frameNumber, "second") : List.of();
        }
    }

    private Path pcap(int n) {
        long[] ts = new long[n];
        byte[][] frames = new byte[n][];
        int[] orig = new int[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T + i * 1_000_000L;
            frames[i] = PcapTools.udpFrame(60 + i, i);
            frames[i][frames[i].length - 1] = (byte) i;
            orig[i] = frames[i].length;
        }
        return PcapTools.write(dir.resolve("in.pcap"),
                PcapTools.classicPcap(ByteOrder.LITTLE_ENDIAN, true, 1, 65535, ts, frames, orig));
    }

    private static Instant at(long ns) {
        return Instant.ofEpochSecond(0, ns);
    }

    @Test
    void commenter_seesEveryPacketInOutputOrder_andItsCommentsLandOnThoseFrames() {
        Recording commenter = new Recording("odd frame ");
        Path out = dir.resolve("out.pcapng");
        PcapConversion.Summary s = PcapConversion.builder().addInput(pcap(4))
                .journal(List.of(JournalEntry.builder(at(T + 1_500_000)).field("MESSAGE", "between 2 and 3").build()))
                .commenter(commenter)
                .build().convert(out);

        // frame 3 is the journal entry: packets are frames 1, 2, 4, 5
        assertThat(commenter.observed).containsExactly("1@0/1/60", "2@1000000/1/61", "4@2000000/1/62",
                "5@3000000/1/63");
        assertThat(s.packets()).isEqualTo(4);
        assertThat(PcapTools.tsharkFields(out, "frame.number", "frame.comment"))
                .containsExactly("1|", "2|odd frame 2;second", "3|", "4|", "5|odd frame 5;second");
        try (PcapReader r = PcapReader.open(out)) {
            assertThat(r.packets().map(p -> p.options().comments())).containsExactly(List.of(),
                    List.of("odd frame 2", "second"), List.of(), List.of("odd frame 5", "second"));
        }
    }

    @Test
    void commentsThatWouldBreakTheSizeCap_areLeftOut_packetsAreNot() {
        Path in = pcap(40);
        Path plain = dir.resolve("plain.pcapng");
        PcapConversion.Summary without = PcapConversion.builder().addInput(in).maxBytes(5000).build().convert(plain);
        Recording commenter = new Recording("x".repeat(3000));
        Path out = dir.resolve("capped.pcapng");
        PcapConversion.Summary with = PcapConversion.builder().addInput(in).maxBytes(5000).commenter(commenter)
                .build().convert(out);

        assertThat(with.sizeCapped()).isTrue();
        assertThat(with.packets()).isEqualTo(without.packets()).isLessThan(40);
        assertThat(commenter.observed).as("only packets that are written are observed").hasSize((int) with.packets());
        assertThat(out).hasSize(with.bytes());
        assertThat(PcapTools.tsharkFields(out, "frame.number", "frame.comment", "systemd_journal.message"))
                .isEqualTo(PcapTools.tsharkFields(plain, "frame.number", "frame.comment", "systemd_journal.message"));
        assertThat(with.bytes()).isLessThanOrEqualTo(5000);
    }

    @Test
    void commentsThatFit_areWrittenUnderACap() {
        Recording commenter = new Recording("c");
        Path out = dir.resolve("fits.pcapng");
        PcapConversion.Summary s = PcapConversion.builder().addInput(pcap(10)).maxBytes(100_000).commenter(commenter)
                .build().convert(out);
        assertThat(s.sizeCapped()).isFalse();
        assertThat(PcapTools.tsharkFields(out, "frame.comment").stream().filter(c -> !c.isEmpty()))
                .containsExactly("c2;second", "c4;second", "c6;second", "c8;second", "c10;second");
    }

    @Test
    void aFailingCommenter_failsTheConversion_andLeavesNoFile() {
        Path out = dir.resolve("failed.pcapng");
        FrameCommenter broken = new FrameCommenter() {
            @Override
            public void observe(long frameNumber, long epochNanos, int linkType, byte[] data, int capturedLength) {
                throw new IllegalStateException("commenter bug at frame " + frameNumber);
            }

            @Override
            public List<String> comments(long frameNumber) {
                return List.of();
            }
        };
        assertThatThrownBy(() -> PcapConversion.builder().addInput(pcap(3)).commenter(broken).build().convert(out))
                .hasMessageContaining("commenter bug at frame 1");
        assertThat(out).doesNotExist();
    }
}
