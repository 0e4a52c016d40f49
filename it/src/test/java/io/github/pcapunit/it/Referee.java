package io.github.pcapunit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

/** tshark and capinfos as the outside referee of every pcapng the scenarios leave. */
final class Referee {

    private Referee() {
    }

    /** Asserts that tshark and capinfos read {@code file} without an error; returns tshark's frame count. */
    static long assertReadable(Path file) {
        Shell.Result tshark = Shell.run(Duration.ofSeconds(60), "tshark", "-n", "-r", file.toString(),
                "-T", "fields", "-e", "frame.number");
        assertThat(tshark.exitCode()).as("tshark -r %s%n%s", file, tshark.output()).isZero();
        Shell.Result capinfos = Shell.run(Duration.ofSeconds(60), "capinfos", file.toString());
        assertThat(capinfos.exitCode()).as("capinfos %s%n%s", file, capinfos.output()).isZero();
        // Count frame numbers only: tshark also prints warnings such as "Running as user root".
        return tshark.output().lines().filter(l -> l.strip().matches("\\d+")).count();
    }
}
