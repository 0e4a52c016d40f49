package io.github.pcapunit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's exact kernel attribution on real namespaces and nft rules: an eBPF drop record
 * carries the dropped packet's own headers, the namespace and netfilter hook it was dropped in,
 * and the process only when it owns the socket; the tracefs fallback (bpftrace pointed at nothing)
 * says its records are inferred. Topology ({@link RoutedPath}): client 10.200.61.10 — (10.200.61.1)
 * router (10.200.62.1) — server 10.200.62.20; the client's SYN retries are set to 1, so a dropped
 * connect gives up after a few SYNs (one from connect(), the others from the retransmission timer),
 * each counted by the dropping rule's nft counter.
 */
class KernelEvidenceEbpfTest {

    private static final int OUTPUT_PORT = 1101;
    private static final int FORWARD_PORT = 1102;
    private static final int INPUT_PORT = 1103;

    @TempDir
    Path dir;

    @BeforeAll
    static void requireRootAndTracefs() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
    }

    @AfterEach
    void noBpftraceLeft() {
        System.clearProperty(BpfRecorder.PROPERTY);
        // the JVM's bpftrace stays attached for the next capture, and ends on request only when no
        // capture holds it: one left after this is a capture that did not let go
        BpfRecorder.closeIdle();
        assertThat(bpftraceChildren()).as("bpftrace processes of this JVM after stop()").isEmpty();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @Test
    void dropsOnClientOutput_routerForward_serverInput_areThreeRecordsNamingNamespaceAndHook() throws Exception {
        EbpfEvidence.assumeAvailable();
        try (RoutedPath path = topology()) {
            Host[] h = {path.client(), path.router(), path.server()};
            CaptureResult result = threeDrops(path, "three-places");

            assertThat(result.evidenceStatus().source(Source.EBPF_DROPS).state()).as(result.evidenceStatus().describe())
                    .isEqualTo(EvidenceStatus.State.RECORDED);
            List<Drop> ebpf = kernelDrops(result).stream().filter(d -> d.recordedBy().orElse("").equals("eBPF")).toList();
            Drop output = single(ebpf, OUTPUT_PORT);
            Drop forward = single(ebpf, FORWARD_PORT);
            Drop input = single(ebpf, INPUT_PORT);
            assertThat(output.hook()).contains("OUTPUT");
            assertThat(output.namespace()).contains(h[0].namespace());
            assertThat(forward.hook()).contains("FORWARD");
            assertThat(forward.namespace()).contains(h[1].namespace());
            assertThat(input.hook()).contains("INPUT");
            assertThat(input.namespace()).contains(h[2].namespace());
            for (Drop d : List.of(output, forward, input)) {
                assertThat(d.confidence()).contains(Confidence.OBSERVED);
                assertThat(d.reason()).contains("NETFILTER_DROP");
                assertThat(d.description()).contains(" SYN").endsWith("[eBPF, observed]");
            }
            // one drop time per packet the rule dropped, as nft's own counters count them: exact,
            // unless the recorder's status itself says records may be missing (lost by the kernel,
            // a probe run the kernel skipped, an unreadable line) and how many at most
            EvidenceStatus.SourceStatus ebpfStatus = result.evidenceStatus().source(Source.EBPF_DROPS);
            long missing = ebpfStatus.missing();
            int[] nft = {dropped(h[0], OUTPUT_PORT), dropped(h[1], FORWARD_PORT), dropped(h[2], INPUT_PORT)};
            Drop[] recorded = {output, forward, input};
            for (int i = 0; i < 3; i++) {
                String what = recorded[i].description() + " vs nft's counter " + nft[i] + "; " + ebpfStatus.describe();
                if (missing == 0) {
                    assertThat(recorded[i].times()).as(what).hasSize(nft[i]);
                } else {
                    assertThat((long) recorded[i].times().size()).as(what).isBetween(Math.max(1, nft[i] - missing),
                            (long) nft[i]);
                }
            }
            assertThat(nft[0]).as("SYNs dropped on the client's OUTPUT").isGreaterThan(1);
            // the packets' own TTL: 64 leaving the client; the router decrements it before its FORWARD hook
            assertThat(output.ttl()).hasValue(64);
            assertThat(forward.ttl()).hasValue(63);
            assertThat(input.ttl()).hasValue(63);
            // the client's socket owns the SYNs dropped on its OUTPUT; received ones have no socket
            // there, so they name the process whose connect() of the flow the journal shows (tracefs
            // SYN_SENT), saying so, and none without it
            assertThat(output.processName()).contains("python3");
            assertThat(output.description()).contains(", the socket's owner [eBPF, observed]");
            List<io.github.pcapunit.core.pcapng.JournalEntry> journal = CapturedTraffic.read(result.file()).journal();
            for (int port : new int[] {FORWARD_PORT, INPUT_PORT}) {
                Drop d = single(ebpf, port);
                List<String> connectors = connectPids(journal, h[2].address(), port);
                String ours = Long.toString(ourConnects.get(port));
                String tie = ", sent by process python3 (pid " + ours + "), which connect()ed this flow (inferred: the"
                        + " kernel journal's only connect() to it) [eBPF, observed]";
                if (connectors.equals(List.of(ours))) {
                    assertThat(d.description()).contains(tie);
                } else {
                    // other connects to the same address and port in the journal (tracefs sees every
                    // namespace: another run's lab with these addresses): tied by the source port to
                    // our connect, or to none - never to another process
                    assertThat(d.processName().isEmpty() || d.description().contains(tie))
                            .as(d.description() + " with connects of pids " + connectors + ", ours " + ours).isTrue();
                }
            }
        }
    }

    /** The pids of the journal's connects (tracefs SYN_SENT transitions) to {@code address}:{@code port}. */
    private static List<String> connectPids(List<io.github.pcapunit.core.pcapng.JournalEntry> journal, String address,
            int port) {
        return journal.stream().filter(e -> e.isEvent("inet_sock_set_state")
                && "TCP_SYN_SENT".equals(e.getOrDefault(io.github.pcapunit.core.pcapng.JournalKey.PCAPUNIT_NEWSTATE, ""))
                && address.equals(e.getOrDefault(io.github.pcapunit.core.pcapng.JournalKey.PCAPUNIT_DADDR, ""))
                && Integer.toString(port).equals(e.getOrDefault(io.github.pcapunit.core.pcapng.JournalKey.PCAPUNIT_DPORT, "")))
                .map(e -> e.getOrDefault(io.github.pcapunit.core.pcapng.JournalKey.PID, "?")).distinct().toList();
    }

    @Test
    void ipv6ConnectDroppedOnClientOutput_recordHasTheIpv6HeadersHopLimitAndHook() throws Exception {
        EbpfEvidence.assumeAvailable();
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.63.10");
            Host server = lab.host("server", "10.200.63.20");
            lab.link(client, server);
            // the lab turns IPv6 off in its namespaces (router solicitations are noise): on for this link
            for (Host h : List.of(client, server)) {
                h.run("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=0");
                h.run("sysctl", "-q", "-w", "net.ipv6.conf." + (h == client ? "to-server" : "to-client")
                        + ".disable_ipv6=0");
            }
            client.run("ip", "-6", "addr", "add", "fd00:200:63::10/64", "dev", "to-server", "nodad");
            server.run("ip", "-6", "addr", "add", "fd00:200:63::20/64", "dev", "to-client", "nodad");
            client.run("sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1");
            client.firewall().dropOutput("tcp dport " + OUTPUT_PORT);
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .output(dir.resolve("ipv6.pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
            CaptureResult result;
            long connector;
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.awaitAttached(capture);
                connector = EbpfEvidence.connectFails(client, "fd00:200:63::20", OUTPUT_PORT);
                result = capture.stop();
            }

            Drop d = single(kernelDrops(result), OUTPUT_PORT);
            assertThat(d.flow().orElseThrow().source().address())
                    .isEqualTo(java.net.InetAddress.getByName("fd00:200:63::10"));
            assertThat(d.flow().orElseThrow().destination().address())
                    .isEqualTo(java.net.InetAddress.getByName("fd00:200:63::20"));
            assertThat(d.hook()).contains("OUTPUT");
            assertThat(d.namespace()).contains(client.namespace());
            assertThat(d.ttl()).as("hop limit").hasValue(64);
            assertThat(d.pid()).hasValue(connector);
            assertThat(d.confidence()).contains(Confidence.OBSERVED);
            assertThat(d.times()).hasSize(dropped(client, OUTPUT_PORT));
        }
    }

    @Test
    void fallback_sameDrops_stateTheLowerConfidenceAndNameNoPlace() throws Exception {
        System.setProperty(BpfRecorder.PROPERTY, dir.resolve("no-bpftrace").toString());
        try (RoutedPath path = topology()) {
            CaptureResult result = threeDrops(path, "three-places-fallback");

            EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(Source.EBPF_DROPS);
            assertThat(ebpf.state()).isEqualTo(EvidenceStatus.State.UNAVAILABLE);
            assertThat(ebpf.cause().orElseThrow()).contains("no-bpftrace", BpfRecorder.PROPERTY,
                    "drop records come from tracefs, correlated by time (inferred)");
            assertThat(result.evidenceStatus().describe()).contains("eBPF drop records unavailable");
            List<Drop> kernel = kernelDrops(result);
            assertThat(kernel).as("tracefs drop records").isNotEmpty().allSatisfy(d -> {
                assertThat(d.recordedBy()).contains("tracefs");
                assertThat(d.confidence()).contains(Confidence.INFERRED);
                assertThat(d.hook()).isEmpty();
                assertThat(d.description()).doesNotContain("[eBPF");
            });
        }
    }

    @Test
    void busyBystander_duringTimerRetransmissionDrops_isNeverNamed_theConnectingProcessIs() throws Exception {
        EbpfEvidence.assumeAvailable();
        bystanderRun(true);
    }

    @Test
    void fallback_busyBystander_isNeverNamed_recordsSayInferred() throws Exception {
        System.setProperty(BpfRecorder.PROPERTY, dir.resolve("no-bpftrace").toString());
        bystanderRun(false);
    }

    @Test
    void bpftraceThatFails_statusFailedWithItsStderr_captureGoesOnWithTracefs() throws Exception {
        Path fake = dir.resolve("bpftrace");
        Files.writeString(fake, "#!/bin/sh\necho 'ERROR: pcapunit test: no probes today' >&2\nexit 1\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        System.setProperty(BpfRecorder.PROPERTY, fake.toString());
        try (RoutedPath path = topology()) {
            Host client = path.client();
            client.firewall().dropOutput("tcp dport " + OUTPUT_PORT);
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .output(dir.resolve("failing.pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
            CaptureResult result;
            try (Capture capture = Capture.start(spec)) {
                EbpfEvidence.connectFails(client, path.server().address(), OUTPUT_PORT);
                result = capture.stop();
            }
            EvidenceStatus.SourceStatus ebpf = result.evidenceStatus().source(Source.EBPF_DROPS);
            assertThat(ebpf.state()).isEqualTo(EvidenceStatus.State.FAILED);
            assertThat(ebpf.cause().orElseThrow()).contains("ERROR: pcapunit test: no probes today",
                    "exited with status 1 before attaching");
            assertThat(result.evidenceStatus().recorded(Source.KERNEL_TRACE)).isTrue();
            assertThat(kernelDrops(result)).isNotEmpty().allSatisfy(d -> assertThat(d.recordedBy()).contains("tracefs"));
        }
    }

    @Test
    void captureClosedByAnException_leavesNoBpftrace() throws Exception {
        EbpfEvidence.assumeAvailable();
        CaptureSpec spec = CaptureSpec.builder().interfaces("lo").output(dir.resolve("thrown.pcapng"))
                .kernelEvidence(KernelEvidence.REQUIRED).build();
        try (Capture capture = Capture.start(spec)) {
            assertThat(bpftraceChildren()).as("bpftrace started with the capture").hasSize(1);
            throw new IllegalStateException("the test failed");
        } catch (IllegalStateException e) {
            assertThat(e).hasMessage("the test failed");
        }
        // @AfterEach checks no bpftrace child is left
    }

    // ---- scenarios -----------------------------------------------------------------------------

    private void bystanderRun(boolean ebpf) throws Exception {
        try (RoutedPath path = topology()) {
            Host client = path.client();
            client.firewall().dropOutput("tcp dport " + OUTPUT_PORT);
            CaptureSpec spec = CaptureSpec.builder().point(CapturePoint.namespace(client.namespace()).named("client"))
                    .output(dir.resolve("bystander-" + ebpf + ".pcapng")).kernelEvidence(KernelEvidence.REQUIRED)
                    .build();
            List<Process> spinners = new ArrayList<>();
            CaptureResult result;
            long connector;
            try (Capture capture = Capture.start(spec)) {
                if (ebpf) {
                    EbpfEvidence.awaitAttached(capture);
                }
                // one busy process per CPU: the retransmission timer fires while one of them runs
                for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                    spinners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
                }
                try {
                    connector = EbpfEvidence.connectFails(client, path.server().address(), OUTPUT_PORT);
                } finally {
                    for (Process p : spinners) {
                        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
                result = capture.stop();
            }
            List<Long> bystanders = spinners.stream().map(Process::pid).toList();
            List<Drop> drops = kernelDrops(result).stream()
                    .filter(d -> d.flow().map(f -> f.destination().port() == OUTPUT_PORT).orElse(true)).toList();
            assertThat(drops).as("kernel drops of the connect").isNotEmpty();
            assertThat(drops).allSatisfy(d -> assertThat(d.pid()).as(d.description())
                    .satisfiesAnyOf(p -> assertThat(p).isEmpty(),
                            p -> assertThat(bystanders).doesNotContain(p.getAsLong())));
            if (ebpf) {
                Drop d = single(drops, OUTPUT_PORT);
                assertThat(d.pid()).as(d.description()).hasValue(connector);
                assertThat(d.times()).as("connect()'s SYN and the timer's retransmissions")
                        .hasSize(dropped(client, OUTPUT_PORT)).hasSizeGreaterThan(1);
                assertThat(d.confidence()).contains(Confidence.OBSERVED);
            } else {
                assertThat(drops).allSatisfy(d -> assertThat(d.confidence()).contains(Confidence.INFERRED));
                assertThat(result.evidenceStatus().source(Source.EBPF_DROPS).state())
                        .isEqualTo(EvidenceStatus.State.UNAVAILABLE);
            }
        }
    }

    /** The pid of the last {@link #threeDrops} connect per port. */
    private final java.util.Map<Integer, Long> ourConnects = new java.util.HashMap<>();

    /** Drops tcp/OUTPUT_PORT on the client's OUTPUT, FORWARD_PORT in the router, INPUT_PORT on the server's INPUT. */
    private CaptureResult threeDrops(RoutedPath path, String name) throws Exception {
        Host[] h = {path.client(), path.router(), path.server()};
        h[0].firewall().dropOutput("tcp dport " + OUTPUT_PORT);
        path.forward("tcp dport " + FORWARD_PORT + " counter drop");
        h[2].firewall().dropInput("tcp dport " + INPUT_PORT);
        CaptureSpec spec = CaptureSpec.builder()
                .point(CapturePoint.namespace(h[0].namespace()).named("client"))
                .point(CapturePoint.namespace(h[1].namespace()).named("router"))
                .point(CapturePoint.namespace(h[2].namespace()).named("server"))
                .output(dir.resolve(name + ".pcapng")).kernelEvidence(KernelEvidence.REQUIRED).build();
        try (Capture capture = Capture.start(spec)) {
            if (System.getProperty(BpfRecorder.PROPERTY) == null) {
                EbpfEvidence.awaitAttached(capture);
            }
            for (int port : new int[] {OUTPUT_PORT, FORWARD_PORT, INPUT_PORT}) {
                ourConnects.put(port, EbpfEvidence.connectFails(h[0], h[2].address(), port));
            }
            return capture.stop();
        }
    }

    /** The path, the client giving up a connect after 2 SYNs, echo servers on the three ports. */
    private static RoutedPath topology() {
        return RoutedPath.create(61, path -> {
            path.client().run("sysctl", "-q", "-w", "net.ipv4.tcp_syn_retries=1");
            for (int port : new int[] {OUTPUT_PORT, FORWARD_PORT, INPUT_PORT}) {
                path.server().tcpEchoServer(port);
            }
        });
    }

    /** Packets the nft rule matching {@code tcp dport port} in {@code host}'s namespace dropped (its counter). */
    private static int dropped(Host host, int port) {
        return RoutedPath.counter(host, "tcp dport " + port);
    }

    private static List<Drop> kernelDrops(CaptureResult result) {
        return CapturedTraffic.read(result.file()).drops().stream().filter(d -> d.source() == EvidenceSource.KERNEL)
                .toList();
    }

    private static Drop single(List<Drop> drops, int port) {
        List<Drop> matching = drops.stream()
                .filter(d -> d.flow().map(f -> f.destination().port() == port).orElse(false)).toList();
        assertThat(matching).as("drop records to port %d among %s", port, drops).hasSize(1);
        return matching.get(0);
    }

    private static List<ProcessHandle> bpftraceChildren() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("bpftrace")).orElse(false)).toList();
    }
}
