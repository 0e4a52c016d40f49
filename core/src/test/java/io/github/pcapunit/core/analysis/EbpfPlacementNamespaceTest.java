package io.github.pcapunit.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.EbpfEvidence;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's "a drop on the client's OUTPUT vs on the server's INPUT vs in the router's FORWARD
 * give three different verdicts naming where", on real namespaces this test creates ({@link RoutedPath}):
 * client 10.200.73.10 — (10.200.73.1) router (10.200.74.1) — server 10.200.74.20, captured in all three
 * (eBPF records the captured namespaces' drops), one nft drop rule per place; "this host" is the
 * initiator's, the client's. With eBPF the verdicts are observed and name the namespace
 * and hook; on the tracefs fallback (bpftrace pointed at nothing) they are inferred and name no
 * hook or namespace of the router or server.
 */
class EbpfPlacementNamespaceTest {

    private static final int OUTPUT_PORT = 1201;
    private static final int FORWARD_PORT = 1202;
    private static final int INPUT_PORT = 1203;
    private static final int[] PORTS = {OUTPUT_PORT, FORWARD_PORT, INPUT_PORT};

    @TempDir
    Path dir;

    @BeforeAll
    static void requireRootAndTracefs() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(BpfRecorder.PROPERTY);
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void clientOutput_routerForward_serverInput_giveThreeVerdictsNamingNamespaceAndHook_observed() throws Exception {
        EbpfEvidence.assumeAvailable();
        try (RoutedPath path = topology()) {
            Host[] h = {path.client(), path.router(), path.server()};
            CapturedTraffic traffic = threeDrops(path, "ebpf", true);

            Verdict local = only(traffic, OUTPUT_PORT);
            Verdict onPath = only(traffic, FORWARD_PORT);
            Verdict atServer = only(traffic, INPUT_PORT);
            assertThat(local.fate()).as(local.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
            assertThat(local.where()).hasValue("this host, namespace " + h[0].namespace() + " (OUTPUT)");
            assertThat(onPath.fate()).as(onPath.toString()).isEqualTo(Fate.DROPPED_ELSEWHERE);
            assertThat(onPath.where()).hasValue("namespace " + h[1].namespace() + " (FORWARD)");
            assertThat(atServer.fate()).as(atServer.toString()).isEqualTo(Fate.DROPPED_ELSEWHERE);
            assertThat(atServer.where()).hasValue("namespace " + h[2].namespace() + " (INPUT)");
            assertThat(local.sentence()).contains("was dropped on this host, in namespace " + h[0].namespace()
                    + " (OUTPUT), at the client: ");
            assertThat(onPath.sentence()).contains("was dropped in namespace " + h[1].namespace()
                    + " (FORWARD), a device on the path, not on this host: ");
            assertThat(atServer.sentence()).contains("was dropped in namespace " + h[2].namespace()
                    + " (INPUT), at the server, not on this host: ");
            for (Verdict v : List.of(local, onPath, atServer)) {
                assertThat(v.confidence()).as(v.toString()).isEqualTo(Confidence.OBSERVED);
                assertThat(v.sentence()).as(v.toString()).contains("by netfilter", "as eBPF saw at kfree_skb");
                assertThat(v.evidence()).as(v.toString()).anySatisfy(l -> assertThat(l).startsWith("eBPF kfree_skb: "));
                assertThat(v.isFailure()).isTrue();
            }
            // the one-sentence diagnosis per destination says where, and whose side the cause is on
            assertThat(traffic.diagnosis(h[2].address(), OUTPUT_PORT).sentence())
                    .contains("(OUTPUT)").endsWith("the cause is on this host, not the server");
            assertThat(traffic.diagnosis(h[2].address(), FORWARD_PORT).sentence()).contains(h[1].namespace()
                    + " (FORWARD)").endsWith("not here");
            assertThat(traffic.diagnosis(h[2].address(), INPUT_PORT).sentence()).contains(h[2].namespace()
                    + " (INPUT)").endsWith("not here");
        }
    }

    @Test
    void fallback_sameDrops_verdictsAreInferred_andClaimNoHookOrRemoteNamespace() throws Exception {
        System.setProperty(BpfRecorder.PROPERTY, dir.resolve("no-bpftrace").toString());
        try (RoutedPath path = topology()) {
            Host[] h = {path.client(), path.router(), path.server()};
            CapturedTraffic traffic = threeDrops(path, "fallback", false);
            assertThat(traffic.evidenceStatus().orElseThrow().source(Source.EBPF_DROPS).state())
                    .isEqualTo(EvidenceStatus.State.UNAVAILABLE);

            Verdict local = only(traffic, OUTPUT_PORT);
            assertThat(local.fate()).as(local.toString()).isEqualTo(Fate.DROPPED_ON_THIS_HOST);
            assertThat(local.confidence()).isEqualTo(Confidence.INFERRED);
            for (int port : PORTS) {
                Verdict v = only(traffic, port);
                // inferred, or unanswered with "where it was lost is not recorded": never a claimed place
                assertThat(v.confidence() == Confidence.INFERRED || v.fate() == Fate.UNANSWERED).as(v.toString())
                        .isTrue();
                assertThat(v.sentence() + v.where().orElse("")).as(v.toString())
                        .doesNotContain("(OUTPUT)", "(FORWARD)", "(INPUT)", "eBPF", h[1].namespace(), h[2].namespace());
                assertThat(v.evidence()).noneSatisfy(l -> assertThat(l).startsWith("eBPF kfree_skb"));
            }
        }
    }

    /** Drops OUTPUT_PORT on the client's OUTPUT, FORWARD_PORT in the router, INPUT_PORT on the server's INPUT. */
    private CapturedTraffic threeDrops(RoutedPath path, String name, boolean awaitEbpf) throws Exception {
        Host[] h = {path.client(), path.router(), path.server()};
        h[0].firewall().dropOutput("tcp dport " + OUTPUT_PORT);
        path.forward("tcp dport " + FORWARD_PORT + " counter drop");
        h[2].firewall().dropInput("tcp dport " + INPUT_PORT);
        // eBPF records the drops of the captured namespaces: all three, the client's first
        CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(h[0].namespace()).named("client"))
                .point(CapturePoint.namespace(h[1].namespace()).named("router"))
                .point(CapturePoint.namespace(h[2].namespace()).named("server"))
                .filter("tcp").output(dir.resolve(name + ".pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            if (awaitEbpf) {
                EbpfEvidence.awaitAttached(capture);
            }
            ExecutorService pool = Executors.newFixedThreadPool(PORTS.length);
            try {
                List<Future<Long>> all = new ArrayList<>();
                for (int port : PORTS) {
                    all.add(pool.submit(() -> EbpfEvidence.connectFails(h[0], h[2].address(), port)));
                }
                for (Future<Long> f : all) {
                    f.get(30, TimeUnit.SECONDS);   // fails with connectFails' assertion when a connect did not fail
                }
            } finally {
                pool.shutdownNow();
            }
            result = capture.stop();
        }
        return CapturedTraffic.of(result);
    }

    /** The path, the client giving up a connect after 2 SYNs, echo servers on the three ports. */
    private static RoutedPath topology() {
        return RoutedPath.create(73, path -> {
            path.client().run("sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1");
            for (int port : PORTS) {
                path.server().tcpEchoServer(port);
            }
        });
    }

    private static Verdict only(CapturedTraffic traffic, int port) {
        return DropFiles.onlyVerdict(traffic, port);
    }
}
