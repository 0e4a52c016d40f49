package io.github.pcapunit.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.core.packet.IpProtocol;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import io.github.pcapunit.testing.RoutedPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An echo exchange whose requests a firewall dropped counts the kernel's records of them, on real
 * namespaces this test creates ({@link RoutedPath} 10.200.81.0/24 — router — 10.200.82.0/24): the
 * server's INPUT drops every echo request (nft, counted), the client pings it for 2 s (one request every 200 ms), the
 * capture runs in the client's and the server's namespaces (eBPF records the drops of both).
 * Before, the echo's verdict said "not answered ... where it was lost is not recorded" and the
 * eBPF record became a verdict of its own ("none of its packets reached a captured interface",
 * which the captured requests belie); now the echo's verdict places the drop and counts exactly
 * what nft counted, and says the record is tied to the exchange by addresses and time (inferred).
 */
class EchoKernelCountNamespaceTest {

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
    void pingDroppedAtTheServersInput_theEchoVerdictCountsTheEbpfRecords_asNftCounted() throws Exception {
        EbpfEvidence.assumeAvailable();
        try (RoutedPath path = RoutedPath.create(81)) {
            Host client = path.client();
            Host server = path.server();
            server.firewall().dropInput("icmp type echo-request");
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .point(CapturePoint.namespace(server.namespace()).named("server"))
                    .filter("icmp").output(dir.resolve("ping.pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.awaitAttached(capture);
                assertThat(client.ping(server.address(), 3, Duration.ofSeconds(2))).as("a reply came").isFalse();
                result = capture.stop();
            }
            int dropped = RoutedPath.counter(server, "icmp type echo-request");
            // ping -w: it sends every 200 ms until the deadline (about 10 requests)
            assertThat(dropped).as("requests nft dropped").isPositive();
            CapturedTraffic traffic = CapturedTraffic.of(result);

            List<Verdict> icmp = traffic.verdicts().stream()
                    .filter(v -> v.flow().protocol() == IpProtocol.ICMP).toList();
            assertThat(icmp).as("ICMP verdicts %s", icmp).hasSize(1);
            Verdict v = icmp.get(0);
            String packets = dropped + (dropped == 1 ? " packet" : " packets");
            assertThat(v.fate()).as(v.toString()).isEqualTo(Fate.DROPPED_ELSEWHERE);
            assertThat(v.confidence()).isEqualTo(Confidence.OBSERVED);
            assertThat(v.where()).hasValue("namespace " + server.namespace() + " (INPUT)");
            assertThat(v.sentence()).as(v.sentence())
                    .contains("ICMP " + client.address() + " \u2192 " + server.address() + " was dropped in namespace "
                            + server.namespace() + " (INPUT), at the server, not on this host: " + packets
                            + " dropped there by netfilter (nftables) (NETFILTER_DROP at nft_do_chain), as eBPF saw"
                            + " at kfree_skb; ")
                    .contains(" 0 answered; the kernel record is tied to this exchange by addresses and time"
                            + " (inferred: a kernel record carries no echo identifier); the records count " + packets
                            .replace("packet", "dropped packet"))
                    .doesNotContain("not recorded");
            assertThat(v.drops()).filteredOn(d -> d.source() == EvidenceSource.KERNEL)
                    .extracting(Drop::count).containsExactly((long) dropped);
            // no other verdict claims the drop ("none of its packets reached a captured interface")
            assertThat(traffic.verdicts()).filteredOn(Verdict::hasLoss).containsExactly(v);
        }
    }
}
