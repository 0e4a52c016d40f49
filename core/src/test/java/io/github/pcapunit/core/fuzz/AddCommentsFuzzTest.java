package io.github.pcapunit.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pcapunit.core.PcapFormatException;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PcapConversion;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for comment rewriting: fuzzed pcapng bytes get fuzzed comments on fuzzed frame
 * numbers. Either the rewrite succeeds and the file reads back with the same packets, each
 * commented frame carrying its new comments after its old ones; or it is refused - a
 * {@link PcapFormatException} for a damaged file, an {@link IllegalArgumentException} naming a
 * frame that is not a packet - and the file is left byte for byte as it was.
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl core test-compile surefire:test@fuzz -Dpcapunit.fuzz.targets=AddCommentsFuzzTest
 * </pre>
 */
class AddCommentsFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void commentsOnAnyFile_areAddedOrRefusedWithoutDamage(FuzzedDataProvider data) throws Exception {
        Map<Long, List<String>> comments = new LinkedHashMap<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            // numbers only: Jazzer takes them from the input's end, so the file keeps its start
            String text = "comment " + data.consumeInt() + " " + "x".repeat(data.consumeInt(0, 300));
            comments.computeIfAbsent(data.consumeLong(0, 40), k -> new ArrayList<>()).add(text);
        }
        byte[] original = data.consumeRemainingAsBytes();
        Path file = FuzzFiles.write("comments.pcapng", original);
        if (comments.isEmpty()) {
            assertThat(PcapConversion.addComments(file, comments)).isZero();
            assertThat(Arrays.equals(Files.readAllBytes(file), original)).as("file changed without comments").isTrue();
            return;
        }
        try {
            PcapConversion.addComments(file, comments);
        } catch (PcapFormatException | IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            assertThat(Arrays.equals(Files.readAllBytes(file), original)).as("file changed by a refused rewrite").isTrue();
            return;
        }
        List<Packet> before = read(original);
        List<Packet> after = read(Files.readAllBytes(file));
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            Packet b = before.get(i);
            Packet a = after.get(i);
            assertThat(a.data()).isEqualTo(b.data());
            assertThat(a.timestampNanos()).isEqualTo(b.timestampNanos());
            List<String> expected = new ArrayList<>(b.comments());
            expected.addAll(comments.getOrDefault(a.frameNumber(), List.of()));
            assertThat(a.comments()).isEqualTo(expected);
        }
    }

    private static List<Packet> read(byte[] bytes) {
        List<Packet> packets = new ArrayList<>();
        try (PcapReader r = PcapReader.of(bytes)) {
            r.forEach(packets::add);
        }
        return packets;
    }
}
