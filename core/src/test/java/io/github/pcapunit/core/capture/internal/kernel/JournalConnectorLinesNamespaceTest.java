package io.github.pcapunit.core.capture.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.JournalEntry;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import io.github.pcapunit.testing.RoutedPath;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real capture, the journal lines a listing shows ({@link KernelJournal#withConnectors}) name
 * the process that connect()ed a flow whose SYNs the server's INPUT dropped exactly as the
 * verdict's Drop line does: the capture wrote those entries naming no process (no socket on the
 * server), and only the whole journal ties them. {@link RoutedPath} 10.200.83.0/24 — router —
 * 10.200.84.0/24, nft drop on the server's INPUT, capture in the client's and the server's
 * namespaces with eBPF, one python3 connect from the client.
 */
class JournalConnectorLinesNamespaceTest {

    private static final int PORT = 1301;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireRootAndKernelEvidence() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void synsDroppedOnTheServersInput_listingLinesNameTheConnectorAsTheDropLineDoes() throws Exception {
        EbpfEvidence.assumeAvailable();
        try (RoutedPath path = RoutedPath.create(83, p -> {
            p.client().run("sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1");
            p.server().tcpEchoServer(PORT);
        })) {
            Host client = path.client();
            Host server = path.server();
            server.firewall().dropInput("tcp dport " + PORT);
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .point(CapturePoint.namespace(server.namespace()).named("server"))
                    .filter("tcp").output(dir.resolve("input.pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.awaitAttached(capture);
                assertThat(connect(client, server.address())).startsWith("FAILED");
                result = capture.stop();
            }
            CapturedTraffic traffic = CapturedTraffic.read(result.file());
            List<JournalEntry> journal = traffic.journal();

            List<JournalEntry> shown = KernelJournal.withConnectors(journal);

            Drop input = traffic.drops().stream().filter(d -> d.recordedBy().orElse("").equals("eBPF")
                    && d.hook().orElse("").equals("INPUT") && d.flow().isPresent()
                    && d.flow().get().destination().port() == PORT).findFirst().orElseThrow();
            String process = input.description().replaceAll("^.*?(, (sent by )?process .*)$", "$1");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < journal.size(); i++) {
                JournalEntry e = journal.get(i);
                if ("EBPF".equals(e.getOrDefault(JournalKey.PCAPUNIT_DROP_SOURCE, ""))
                        && "INPUT".equals(e.getOrDefault(JournalKey.PCAPUNIT_HOOK, ""))
                        && Integer.toString(PORT).equals(e.getOrDefault(JournalKey.PCAPUNIT_DPORT, ""))) {
                    assertThat(e.message()).as("as written").doesNotContain("process");
                    lines.add(shown.get(i).message());
                }
            }
            assertThat(lines).as("the listing's lines of the INPUT drops").isNotEmpty();
            if (input.processName().isPresent()) {
                // the verdict's Drop line names the connector: so does every listing line of it, the same way
                // (which name: python3 here is a pyenv shim, and the recorder has named the connect's
                // process both python3 and bash in two runs - the recorder's resolution, not this tie)
                assertThat(input.description()).contains(", sent by process ",
                        "), which connect()ed this flow (inferred: the kernel journal's only connect() to it)");
                assertThat(lines).allSatisfy(l -> assertThat(l).endsWith(process));
            } else {
                assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("process"));
            }
        }
    }

    /** A connect from {@code host} that gives up after 2 SYNs (about 3 s); its outcome. */
    private static String connect(Host host, String address) throws Exception {
        String script = "import socket,sys\ns=socket.socket()\ns.settimeout(10)\n"
                + "try:\n  s.connect((sys.argv[1], int(sys.argv[2])))\n  print('CONNECTED')\n"
                + "except OSError as e:\n  print('FAILED', e)\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", host.namespace(), "python3", "-c", script, address,
                Integer.toString(PORT)).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("connect to %s:%d ends", address, PORT).isTrue();
        return new String(p.getInputStream().readAllBytes()).strip();
    }
}
