package io.github.pcapunit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.pcapunit.core.InvalidCaptureSpecException;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.junit.CaptureTrafficExtension;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.TestCapture;
import io.github.pcapunit.testing.DockerLab;
import io.github.pcapunit.testing.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers container from a local image serving TCP, captured inside from a JUnit test on
 * the host; a drop rule inside the container is explained with the container's name (issue 16).
 */
class ContainerCaptureTest {

    static final String NAME = "pcapunit-" + ProcessHandle.current().pid() + "-tc-db";
    static DockerLab docker;
    static GenericContainer<?> db;
    static String dbAddress;

    @TempDir
    Path out;

    @BeforeAll
    static void engineAndContainer() {
        DockerLab.assumeAvailable();
        docker = DockerLab.start();
        db = new GenericContainer<>(DockerImageName.parse(DockerLab.IMAGE))
                .withCommand("nc", "-ll", "-p", "5432", "-e", "/bin/cat")
                .withCreateContainerCmdModifier(c -> c.withName(NAME));
        db.start();
        dbAddress = db.getContainerInfo().getNetworkSettings().getNetworks().get("bridge").getIpAddress();
    }

    @AfterAll
    static void nothingLeft() {
        if (db != null) {
            db.stop();
        }
        if (docker != null) {
            docker.close();
            assertThat(DockerLab.containersOfThisProcess()).isEmpty();
        }
    }

    /** The test a user writes: the JUnit extension captures inside the container {@code db}. */
    static class DbTestCases {
        @RegisterExtension
        static CaptureTrafficExtension capture = CaptureTrafficExtension.builder()
                .filter("tcp port 5432")
                .kernelEvidence(KernelEvidence.OFF)
                .spec(s -> ContainerPoints.in(s, db).explainFirewall("tcp dport 5432"))
                .keep(Keep.ALWAYS)
                .build();

        @Test
        void echoes(TestCapture capture) throws IOException {
            assertThat(talk(dbAddress, "hello db")).isEqualTo("hello db");
            assertThat(capture.traffic().connectionsTo(5432)).hasSize(1);
        }

        @Test
        void firewalled(TestCapture capture) throws IOException {
            ExecResult rule = docker.inNetns(new DockerLab.Container(NAME, db.getContainerId(),
                    db.getContainerInfo().getState().getPidLong(), dbAddress), "nft",
                    "add table inet lab; add chain inet lab input { type filter hook input priority 0; };"
                            + " add rule inet lab input tcp dport 5432 counter drop comment \"db refuses 5432\"");
            assertThat(rule.succeeded()).as(rule.describeFailure()).isTrue();
            try {
                assertThatThrownBy(() -> talk(dbAddress, "anyone?")).isInstanceOf(SocketTimeoutException.class);
                CapturedTraffic traffic = capture.traffic();
                List<Drop> drops = traffic.drops().stream().filter(d -> d.source() == EvidenceSource.FIREWALL).toList();
                assertThat(drops).as("drops: %s", traffic.drops()).isNotEmpty();
                assertThat(drops.get(0).toString()).contains("db refuses 5432");
                // the verdict names the container it happened in
                assertThat(traffic.journal()).filteredOn(e -> e.get(JournalKey.PCAPUNIT_NFT_COMMENT).isPresent())
                        .isNotEmpty().allSatisfy(e -> {
                            assertThat(e.get(JournalKey.PCAPUNIT_NETNS)).contains(NAME);
                            assertThat(e.get(JournalKey.PCAPUNIT_NFT_COMMENT)).contains("db refuses 5432");
                        });
            } finally {
                docker.inNetns(new DockerLab.Container(NAME, db.getContainerId(),
                        db.getContainerInfo().getState().getPidLong(), dbAddress), "nft", "delete table inet lab");
            }
        }
    }

    @Test
    void junitTestOnTheHost_capturesInsideTheContainer_andExplainsItsFirewallByName() throws IOException {
        var results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(DbTestCases.class))
                .configurationParameter("pcapunit.output.directory", out.toString()).execute();
        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));

        List<Path> files;
        try (Stream<Path> walk = Files.walk(out)) {
            files = walk.filter(p -> p.toString().endsWith(".pcapng")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("echoes.pcapng", "firewalled.pcapng");
        Path echoes = files.stream().filter(p -> p.endsWith("echoes.pcapng")).findFirst().orElseThrow();
        CapturedTraffic traffic = CapturedTraffic.read(echoes);
        assertThat(traffic.packets()).allSatisfy(p -> assertThat(p.interfaceName()).contains(NAME + "/eth0"));
        assertThat(traffic.connectionsTo(5432)).hasSize(1);
    }

    @Test
    void runningContainersInStaticFields_becomePoints_namedAfterTheirContainers() {
        var spec = ContainerPoints.inFields(io.github.pcapunit.core.capture.CaptureSpec.builder(),
                ContainerCaptureTest.class).build();
        assertThat(spec.points()).containsExactly(io.github.pcapunit.core.capture.CapturePoint
                .container(db.getContainerId()).named(NAME));
    }

    @Test
    void containerNotStarted_isRefusedBeforeAnything() {
        GenericContainer<?> never = new GenericContainer<>(DockerImageName.parse(DockerLab.IMAGE));
        assertThatThrownBy(() -> ContainerPoints.of(never))
                .isInstanceOf(InvalidCaptureSpecException.class)
                .hasMessageContaining("is not running: start it before the capture");
    }

    static String talk(String address, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 5432), 2000);
            s.setSoTimeout(2000);
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
