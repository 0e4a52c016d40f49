package io.github.pcapunit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs in its own failsafe execution, in a new JVM after the scenarios' JVM ended: the scenarios left no namespace, veth, nft table or
 * tracing instance behind, and every pcapng they produced passes {@code tshark -r} and
 * {@code capinfos} and reads back with pcapunit's own reader to the same frame count.
 */
class LeftoversAndFilesIT {

    @Test
    void scenarios_leaveNoNamespaceTableOrTracingInstance() {
        NetLab.assumeAvailable();
        assertThat(Leftovers.ofThisProcess()).as("left behind by this JVM").isEmpty();
        assertThat(Leftovers.all()).as("pcapunit resources of any process").isEmpty();
    }

    @Test
    void everyPcapngOfTheScenarios_isReadByTsharkCapinfosAndOurReader() throws IOException {
        NetLab.assumeAvailable();
        Path root = Path.of("target", "pcapunit");
        List<Path> files;
        try (Stream<Path> walk = Files.exists(root) ? Files.walk(root) : Stream.empty()) {
            files = walk.filter(p -> p.toString().endsWith(".pcapng")).sorted().collect(Collectors.toList());
        }
        assertThat(files).as("pcapng files kept by the scenarios under %s", root.toAbsolutePath()).isNotEmpty();
        for (Path file : files) {
            long tsharkFrames = Referee.assertReadable(file);
            CapturedTraffic traffic = CapturedTraffic.read(file);
            assertThat(traffic.packetCount() + traffic.journal().size())
                    .as("frames of %s: packets + journal entries vs tshark", file)
                    .isEqualTo(tsharkFrames);
        }
    }
}
