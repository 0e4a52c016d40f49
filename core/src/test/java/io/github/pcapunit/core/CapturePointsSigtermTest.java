package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM capturing at two namespace points, with explain mode (an nft table in each point's
 * namespace) and kernel evidence (a tracefs instance), is stopped by SIGTERM: its shutdown hooks
 * leave a readable file and nothing else - no nft table in any namespace, no tracefs instance.
 */
class CapturePointsSigtermTest {

    @TempDir
    Path dir;

    /** The child: captures at the namespaces in args[1..], writes to args[0], says READY, waits. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Capture c = Capture.start(CaptureSpec.builder().namespaces(List.of(args).subList(1, args.length)
                    .toArray(String[]::new)).filter("tcp port 5432").explainFirewall("tcp dport 5432")
                    .output(Path.of(args[0])).build());
            System.out.println("READY " + c);
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @Test
    void sigtermWhileCapturingInTwoNamespaces_leavesTheFileAndNothingElse() throws Exception {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
        try (NetLab lab = NetLab.create()) {
            Host a = lab.host("sa", "10.200.38.10");
            Host b = lab.host("sb", "10.200.38.20");
            lab.link(a, b);
            b.tcpEchoServer(5432);
            Path file = dir.resolve("sigterm.pcapng");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath.replace(File.pathSeparatorChar, ':'), Child.class.getName(), file.toString(),
                    a.namespace(), b.namespace()).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("READY")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as(seen.toString()).startsWith("READY");
            assertThat(nftTables(a) + nftTables(b)).as("explain tables while running").contains("pcapunit_" + child.pid());
            assertThat(a.connectTcp(b.address(), 5432, Duration.ofSeconds(3)).outcome())
                    .isEqualTo(ConnectResult.Outcome.CONNECTED);

            child.destroy(); // SIGTERM
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(nftTables(a)).doesNotContain("pcapunit_");
            assertThat(nftTables(b)).doesNotContain("pcapunit_");
            assertThat(Leftovers.ofProcess(child.pid())).isEmpty();
            assertThat(Files.exists(file)).isTrue();
            CapturedTraffic traffic = CapturedTraffic.read(file);
            // the connection's every packet was seen at both points
            var perInterface = traffic.packets().collect(java.util.stream.Collectors.groupingBy(
                    p -> p.interfaceName().orElse("?"), java.util.stream.Collectors.counting()));
            // each point captured on any; its packets are named by their real interface, the veth
            assertThat(perInterface).containsOnlyKeys(a.namespace() + "/to-sb", b.namespace() + "/to-sa");
            assertThat(perInterface.get(a.namespace() + "/to-sb")).isEqualTo(perInterface.get(b.namespace() + "/to-sa"))
                    .isGreaterThanOrEqualTo(6);
        }
    }

    private static String nftTables(Host h) {
        return h.exec("nft", "list", "tables").stdout();
    }
}
