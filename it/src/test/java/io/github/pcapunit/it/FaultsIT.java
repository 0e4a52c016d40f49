package io.github.pcapunit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.testing.Leftovers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 8. Faults: a JVM running a capture is killed. SIGTERM still leaves a valid pcapng (the shutdown
 * hook finalizes it); SIGKILL leaves libpcap's native file, from which the reader returns every
 * complete packet; and nothing stays in tracefs, nftables or {@code ip netns} once the next
 * capture has started.
 */
class FaultsIT {

    @RegisterExtension
    final LabLink sink = new LabLink("sink");


    @Test
    void sigterm_leavesAValidPcapng() throws Exception {
        Path file = sink.output("sigterm.pcapng");
        Process child = startCapturingChild(file);
        Thread.sleep(500);

        child.destroy(); // SIGTERM
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child ended after SIGTERM").isTrue();

        assertThat(file).exists();
        long frames = Referee.assertReadable(file);
        CapturedTraffic traffic = CapturedTraffic.read(file);
        assertThat(traffic.packetCount()).isPositive();
        assertThat(traffic.packetCount() + traffic.journal().size()).isEqualTo(frames);
        assertThat(Leftovers.ofProcess(child.pid())).as("left by the SIGTERMed JVM").isEmpty();
    }

    @Test
    void sigkill_nativeFileStillReads_andTheNextCaptureCleansUp() throws Exception {
        Path file = sink.output("sigkill.pcapng");
        Process child = startCapturingChild(file);
        Thread.sleep(500);

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<Path> nativeFiles;
        try (Stream<Path> list = Files.list(sink.output(""))) {
            nativeFiles = list.filter(p -> p.getFileName().toString().startsWith(".sigkill.pcapng")
                    && p.toString().endsWith(".pcap")).collect(Collectors.toList());
        }
        assertThat(nativeFiles).as("libpcap's native file left by the killed JVM").hasSize(1);
        long packets = 0;
        try (PcapReader reader = PcapReader.open(nativeFiles.get(0))) {
            while (reader.nextPacket()) {
                packets++;
                assertThat(reader.capturedLength()).isEqualTo(reader.originalLength());
            }
        }
        assertThat(packets).as("complete packets read back from the killed capture").isPositive();
        Files.delete(nativeFiles.get(0));

        // A new capture in this JVM removes what the dead one left in tracefs.
        Process next = startCapturingChild(sink.output("after-sigkill.pcapng"));
        Thread.sleep(300);
        next.destroy();
        next.waitFor(30, TimeUnit.SECONDS);
        assertThat(Leftovers.ofProcess(child.pid())).as("left by the SIGKILLed JVM").isEmpty();
    }

    private Process startCapturingChild(Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CaptureChild.class.getName(), sink.link().interfaceName(), sink.link().host().address(), file.toString())
                .redirectErrorStream(true);
        Process child = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        // pcap4j's slf4j may print warnings first; the child prints "capturing" once it captures.
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("capturing")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as("child's output until 'capturing':%n%s", seen).isNotNull();
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException ignored) {
                // child gone
            }
        }, "child-output");
        drain.setDaemon(true);
        drain.start();
        return child;
    }
}
