package io.github.pcapunit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.testing.NetLab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Maven JVM that dies between {@code capture:start} and {@code capture:stop} (SIGTERM, as CI
 * does on a timeout) still leaves a valid pcapng: the plugin's capture is finalized by the
 * shutdown hook. Runs the template project {@code src/test/maven/killed-build}.
 */
class MavenFaultsIT {

    private static final Path WORK = Path.of("target", "pcapunit", "maven-faults").toAbsolutePath();

    @Test
    void mavenJvmSigtermedWhileTheItsRun_leavesAValidPcapng() throws Exception {
        NetLab.assumeAvailable();
        ChildMaven build = ChildMaven.of("killed-build", WORK);
        Path pcapng = build.project().resolve("target/pcapunit/killed-build.pcapng");
        Files.deleteIfExists(pcapng);

        Process maven = new ProcessBuilder(build.command("verify")).redirectErrorStream(true)
                .redirectOutput(build.project().resolve("console.txt").toFile()).start();
        try {
            awaitInLog(build, maven, "LongRunningIT sending");
            Thread.sleep(500);   // some datagrams on the wire

            maven.destroy();     // SIGTERM to the Maven JVM (mvn execs java)
            assertThat(maven.waitFor(60, TimeUnit.SECONDS)).as("Maven ended after SIGTERM").isTrue();
        } finally {
            maven.destroyForcibly();
        }

        String log = Files.readString(build.log(), StandardCharsets.UTF_8);
        assertThat(log).contains("pcapunit: capturing 'udp port 29481' on lo").doesNotContain("pcapunit: captured ");
        assertThat(pcapng).as("the pcapng the shutdown hook finalized").exists();
        long frames = Referee.assertReadable(pcapng);
        CapturedTraffic traffic = CapturedTraffic.read(pcapng);
        assertThat(traffic.packetsTo(29481)).as("datagrams of the killed build's IT").isPositive();
        assertThat(traffic.packetCount() + traffic.journal().size()).isEqualTo(frames);
        List<Path> leftovers;
        try (var list = Files.list(pcapng.getParent())) {
            leftovers = list.filter(p -> p.getFileName().toString().endsWith(".pcap")).toList();
        }
        assertThat(leftovers).as("libpcap's native files, removed by the hook").isEmpty();
    }

    /** Waits (up to 3 minutes: the first build may download plugins) until the log holds {@code text}. */
    private static void awaitInLog(ChildMaven build, Process maven, String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < end) {
            Path console = build.project().resolve("console.txt");
            String seen = Files.exists(build.log()) ? Files.readString(build.log(), StandardCharsets.UTF_8) : "";
            if (seen.contains(text)) {
                return;
            }
            if (!maven.isAlive()) {
                throw new AssertionError("Maven ended before \"" + text + "\":\n" + seen
                        + (Files.exists(console) ? Files.readString(console) : ""));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no \"" + text + "\" in " + build.log() + " within 3 minutes");
    }
}
