package io.github.pcapunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tshark and capinfos, as outside referees, read a file the extension kept. */
class TsharkRefereeTests {

    @TempDir
    Path out;

    static class RefereeTestCases {
        @CaptureTraffic(filter = "udp port 28401", interfaces = "lo")
        @Test
        void lostHeartbeat() {
            Loopback.sendUdp(28401, 4);
            fail("no heartbeat answer");
        }
    }

    @Test
    void keptFile_tsharkSeesThePacketsAndMarks_capinfosSeesTestAndOutcomeInTheComment() throws Exception {
        Fixtures.run(RefereeTestCases.class, out).testEvents().assertStatistics(s -> s.failed(1));
        Path file = Fixtures.fileOf(out, RefereeTestCases.class, "lostHeartbeat.pcapng");

        String udp = run("tshark", "-n", "-r", file.toString(), "-Y", "udp.dstport == 28401", "-T", "fields",
                "-e", "udp.length");
        assertThat(udp.lines()).hasSize(4).allMatch(line -> line.equals("16"));   // 8 header + "pcapunit"
        String journal = run("tshark", "-n", "-r", file.toString(), "-Y", "systemd_journal", "-T", "fields",
                "-e", "systemd_journal.message");
        String name = RefereeTestCases.class.getName() + ".lostHeartbeat()";
        assertThat(journal).contains("test started: " + name)
                .contains("test finished: " + name + " failed: AssertionFailedError: no heartbeat answer");
        String info = run("capinfos", file.toString());
        assertThat(info).contains(name + " failed: AssertionFailedError: no heartbeat answer");
    }

    private String run(String... command) throws Exception {
        Path errors = out.resolve("stderr.txt");
        Process p = new ProcessBuilder(List.of(command)).redirectError(errors.toFile()).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(() -> output + readQuietly(errors)).isZero();
        return output;
    }

    private static String readQuietly(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
