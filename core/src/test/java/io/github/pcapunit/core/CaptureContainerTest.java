package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureStatistics;
import io.github.pcapunit.testing.DockerLab;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Docker container as a capture point (issue 16): resolved through the engine's socket to its
 * process's network namespace, captured there while the JVM talks to it over the bridge.
 */
class CaptureContainerTest {

    private static DockerLab docker;
    private static DockerLab.Container echo;

    @TempDir
    Path dir;

    @BeforeAll
    static void engineAndEchoContainer() {
        DockerLab.assumeAvailable();
        EngineTools.assumeCapture();
        docker = DockerLab.start();
        echo = docker.run("echo", "nc", "-ll", "-p", "5432", "-e", "/bin/cat");
    }

    @AfterAll
    static void removeWhatWeStarted() {
        if (docker != null) {
            docker.close();
            assertThat(DockerLab.containersOfThisProcess()).isEmpty();
        }
    }

    @Test
    void containerByName_capturedInsideIt_fileNamesItsInterfacesAndDescribesTheContainer() throws IOException {
        CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.container(echo.name()).named("echo"))
                .filter("tcp port 5432").output(dir.resolve("container.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            assertThat(talk(echo.address(), "hello container")).isEqualTo("hello container");
            result = capture.stop();
        }
        assertThat(result.statistics()).extracting(CaptureStatistics::interfaceName).containsExactly("echo/any");
        List<String> rows = EngineTools.tshark(result.file(), "tcp.flags.syn == 1", "frame.interface_name",
                "frame.interface_description", "ip.src", "ip.dst");
        String shortId = echo.id().substring(0, 12);
        assertThat(rows).hasSize(2).allSatisfy(r -> assertThat(r).startsWith("echo/eth0|eth0 in Docker container "
                + echo.name() + " (id " + shortId + ", pid " + echo.pid() + ")|"));
        assertThat(rows.get(0)).endsWith("|" + echo.address());   // the SYN, into the container
        assertThat(CapturedTraffic.of(result).connectionsTo(5432)).hasSize(1);
    }

    @Test
    void containerByTextForm_labelledWithItsName_eth0Only() throws IOException {
        CaptureSpec spec = CaptureSpec.builder().containers(echo.id().substring(0, 12) + "/eth0")
                .filter("tcp port 5432").output(dir.resolve("eth0.pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            talk(echo.address(), "via eth0");
            result = capture.stop();
        }
        assertThat(result.statistics()).extracting(CaptureStatistics::interfaceName)
                .containsExactly(echo.name() + "/eth0");
        assertThat(result.statistics().get(0).packetsWritten()).isGreaterThanOrEqualTo(6);
    }

    @Test
    void containerThatDoesNotExist_failsBeforeAnything_listingTheRunningOnes() {
        CaptureSpec spec = CaptureSpec.builder().containers("pcapunit-no-such-container")
                .output(dir.resolve("never.pcapng")).build();
        assertThatThrownBy(() -> Capture.start(spec))
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageContaining("container \"pcapunit-no-such-container\" does not exist at the Docker engine of "
                        + "/var/run/docker.sock")
                .hasMessageContaining(echo.name());
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void containerWithoutANetworkOfItsOwn_orStopped_isRefusedSayingWhy() {
        DockerLab.Container isolated = docker.run("isolated", List.of("--network", "none"), "sleep", "600");
        assertThatThrownBy(() -> CaptureSpec.builder().containers(isolated.name()).build().validate())
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageContaining("runs with --network none").hasMessageContaining(isolated.name() + "/lo");
        DockerLab.Container host = docker.run("hostnet", List.of("--network", "host"), "sleep", "600");
        assertThatThrownBy(() -> CaptureSpec.builder().containers(host.name()).build().validate())
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageContaining("runs with --network host, in the JVM's own namespace");
        DockerLab.Container done = docker.run("done", "true");
        awaitExit(done);
        assertThatThrownBy(() -> CaptureSpec.builder().containers(done.name()).build().validate())
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageContaining("is not running, so it has no network namespace");
    }

    /** Waits until Docker says the container is no longer running. */
    private static void awaitExit(DockerLab.Container c) {
        for (int i = 0; i < 100; i++) {
            try {
                Process p = new ProcessBuilder("docker", "inspect", "-f", "{{.State.Running}}", c.name()).start();
                String running = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                p.waitFor();
                if (running.equals("false")) {
                    return;
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError(c.name() + " still runs");
    }

    private static String talk(String address, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 5432), 3000);
            s.setSoTimeout(3000);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[line.length() + 1];
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8).strip();
        }
    }
}
