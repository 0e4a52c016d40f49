package io.github.pcapunit.core.capture.internal.docker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.CaptureException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine that is not there is named by the socket tried, with the fix. */
class DockerEngineTest {

    @TempDir
    Path dir;

    @Test
    void noSocket_errorNamesTheSocketTriedAndHowToPointAtAnother() {
        Path socket = dir.resolve("docker.sock");
        assertThatThrownBy(() -> DockerEngine.at(socket).inspect("db"))
                .isInstanceOf(CaptureException.class)
                .hasMessage("Docker is not reachable at " + socket + " (no such socket): start the Docker engine"
                        + " (dockerd), or set DOCKER_HOST=unix:///path/to/docker.sock to its socket");
    }

    @Test
    void somethingThatIsNotASocket_errorNamesItAndTheReason() throws Exception {
        Path notASocket = Files.writeString(dir.resolve("docker.sock"), "plain file");
        assertThatThrownBy(() -> DockerEngine.at(notASocket).runningNames())
                .isInstanceOf(CaptureException.class)
                .hasMessageStartingWith("Docker is not reachable at " + notASocket + " (")
                .hasMessageContaining("DOCKER_HOST=unix://");
    }
}
