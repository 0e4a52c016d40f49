package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.EvidenceStatus.Source;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import io.github.pcapunit.testing.RoutedPath;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A capture's kernel records are narrowed to its filter: with {@code tcp port 1433} on the client
 * of a {@link RoutedPath} (10.200.141.10 - router - 10.200.142.20), a bystander's UDP datagrams to
 * a closed port in the same namespace are dropped by the kernel (NO_SOCKET) and recorded by eBPF,
 * but they are not the capture's packets: they are counted in the status, not listed; the connect
 * to port 1433 dropped on the client's OUTPUT is listed and explained, and tshark reads the file.
 * A filter with link-layer primitives cannot be applied to a record's IP header: every record is
 * listed and the status says why.
 */
class KernelFilterNarrowingTest {

    private static final int PORT = 1433;
    private static final int BYSTANDER_DATAGRAMS = 7;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireRootTracefsAndEbpf() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
        EbpfEvidence.assumeAvailable();
    }

    @AfterEach
    void noBpftraceLeft() {
        BpfRecorder.closeIdle();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void tcpPort1433_bystanderUdpDropsInTheSameNamespace_areCountedNotListed_the1433DropIsListed() throws Exception {
        try (RoutedPath path = RoutedPath.create(141, p -> {
            p.client().run("sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1");
            p.server().tcpEchoServer(PORT);
        })) {
            Host client = path.client();
            client.firewall().dropOutput("tcp dport " + PORT);
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .filter("tcp port " + PORT).output(dir.resolve("narrowed.pcapng"))
                    .kernelEvidence(KernelEvidence.REQUIRED).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.awaitAttached(capture);
                bystander(client, BYSTANDER_DATAGRAMS);
                EbpfEvidence.connectFails(client, path.server().address(), PORT);
                result = capture.stop();
            }

            EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(Source.EBPF_DROPS);
            assertThat(ebpf.state()).as(ebpf.describe()).isEqualTo(EvidenceStatus.State.RECORDED);
            Matcher m = Pattern.compile("narrowed to the capture filter \\(tcp port 1433\\): (\\d+) kernel drops? outside"
                    + " the filter not listed").matcher(ebpf.describe());
            assertThat(m.find()).as(ebpf.describe()).isTrue();
            assertThat(Long.parseLong(m.group(1))).as("bystander drops counted: " + ebpf.describe())
                    .isGreaterThanOrEqualTo(BYSTANDER_DATAGRAMS);

            List<Drop> kernel = CapturedTraffic.read(result.file()).drops().stream()
                    .filter(d -> d.source() == EvidenceSource.KERNEL).toList();
            assertThat(kernel).as("no record of the bystander's datagrams").noneSatisfy(d -> assertThat(d.flow()
                    .map(f -> f.destination().port() == 9).orElse(false)).isTrue());
            // (tracefs records from before bpftrace attached carry no addresses and stay, unfiltered: the
            // machine's other drops, e.g. another build's flood; the bystander's came after the attachment)
            assertThat(kernel).as("no eBPF NO_SOCKET record").noneSatisfy(d -> {
                assertThat(d.reason()).contains("NO_SOCKET");
                assertThat(d.recordedBy()).contains("eBPF");
            });
            List<Drop> ours = kernel.stream()
                    .filter(d -> d.flow().map(f -> f.destination().port() == PORT).orElse(false)).toList();
            assertThat(ours).as("the connect's drop among %s", kernel).hasSize(1);
            Drop d = ours.get(0);
            assertThat(d.recordedBy()).contains("eBPF");
            assertThat(d.confidence()).contains(Confidence.OBSERVED);
            assertThat(d.reason()).contains("NETFILTER_DROP");
            assertThat(d.hook()).contains("OUTPUT");
            assertThat(d.description()).contains(" SYN").endsWith("[eBPF, observed]");
            assertThat(d.times()).hasSize(RoutedPath.counter(client, "tcp dport " + PORT));

            // tshark reads the file (the SYNs died on OUTPUT before the wire: the journal is the evidence)
            EngineTools.tshark(result.file(), "frame", "frame.number");
            List<String> journal = EngineTools.tshark(result.file(), "systemd_journal", "systemd_journal.message");
            assertThat(journal).anyMatch(l -> l.contains("NETFILTER_DROP"));
            assertThat(journal).noneMatch(l -> l.contains("NO_SOCKET") && l.contains("[eBPF"));
        }
    }

    @Test
    void linkLayerFilter_notNarrowed_everyRecordListed_statusSaysWhy() throws Exception {
        try (RoutedPath path = RoutedPath.create(143)) {
            Host client = path.client();
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .filter("ether proto 0x0800 and tcp port " + PORT).output(dir.resolve("link-layer.pcapng"))
                    .kernelEvidence(KernelEvidence.REQUIRED).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.awaitAttached(capture);
                bystander(client, BYSTANDER_DATAGRAMS);
                result = capture.stop();
            }
            EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(Source.EBPF_DROPS);
            assertThat(ebpf.describe()).contains("not narrowed to the capture filter", "\"ether\"");
            List<Drop> kernel = CapturedTraffic.read(result.file()).drops().stream()
                    .filter(d -> d.source() == EvidenceSource.KERNEL).toList();
            assertThat(kernel).as("the bystander's drops, listed").anySatisfy(d -> assertThat(d.reason())
                    .contains("NO_SOCKET"));
        }
    }

    @Test
    void snapshotRightAfterADrop_hasItsEbpfRecord_theOnDemandHeartbeat() throws Exception {
        try (RoutedPath path = RoutedPath.create(145)) {
            Host client = path.client();
            client.firewall().dropOutput("udp dport 7433");
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .filter("udp port 7433").output(dir.resolve("snapshot.pcapng"))
                    .kernelEvidence(KernelEvidence.REQUIRED).build();
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.awaitAttached(capture);
                for (int i = 1; i <= 5; i++) {
                    // sendto() returns after OUTPUT dropped the datagram: its kfree_skb has fired
                    udp(client, path.server().address(), 7433, 1);
                    CaptureResult snap = capture.snapshot();
                    long records = CapturedTraffic.read(snap.file()).drops().stream()
                            .filter(d -> d.source() == EvidenceSource.KERNEL && d.recordedBy().orElse("").equals("eBPF"))
                            .filter(d -> d.flow().map(f -> f.destination().port() == 7433).orElse(false))
                            .mapToLong(d -> d.times().size()).sum();
                    assertThat(records).as("eBPF drop times in snapshot %d: %s; %s", i,
                            CapturedTraffic.read(snap.file()).drops(), snap.evidenceStatus().describe()).isEqualTo(i);
                }
                capture.stop();
            }
        }
    }

    /** Sends {@code n} UDP datagrams to {@code address}:{@code port} from {@code host}'s namespace. */
    private static void udp(Host host, String address, int port, int n) throws Exception {
        String script = "import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "for i in range(int(sys.argv[3])):\n"
                + "  try:\n    s.sendto(b'x',(sys.argv[1],int(sys.argv[2])))\n  except OSError:\n    pass\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", host.namespace(), "python3", "-c", script, address,
                Integer.toString(port), Integer.toString(n)).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    /** Sends {@code n} UDP datagrams to 127.0.0.1:9 (nothing listens) from {@code host}'s namespace. */
    private static void bystander(Host host, int n) throws Exception {
        String script = "import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "for i in range(int(sys.argv[1])):\n  s.sendto(b'bystander',('127.0.0.1',9))\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", host.namespace(), "python3", "-c", script,
                Integer.toString(n)).redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
