package io.github.pcapunit.core;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.analysis.Confidence;
import io.github.pcapunit.core.capture.internal.kernel.BpfRecorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.pcapunit.core.capture.internal.kernel.KernelRecorder;
import io.github.pcapunit.testing.JvmLink;
import io.github.pcapunit.testing.Leftovers;
import io.github.pcapunit.testing.NetLab;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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

/** Kernel evidence through the capture engine: journal entries in the pcapng, shown by tshark. */
class KernelEvidenceCaptureTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireRootAndTracefs() {
        NetLab.assumeAvailable();
        assumeThat(KernelRecorder.unavailableReason()).as("kernel evidence").isEmpty();
    }

    @AfterAll
    static void nothingLeftBehind() {
        assertThat(Leftovers.ofThisProcess()).isEmpty();
    }

    @AfterEach
    void clearBpftraceProperty() {
        System.clearProperty(BpfRecorder.PROPERTY);
    }

    /** The tracefs recorder's own records (eBPF off): their lines, journal entries and confidence. */
    @Test
    void jvmConnectDroppedOnOutput_pcapngCarriesKernelDropThatTsharkShows() throws Exception {
        Path file = dir.resolve("drop.pcapng");
        System.setProperty(BpfRecorder.PROPERTY, "");
        try (NetLab lab = NetLab.create()) {
            JvmLink link = lab.linkToJvm("db");
            link.host().tcpEchoServer(1433);
            link.firewall().dropOutput("tcp dport 1433");
            CaptureSpec spec = CaptureSpec.builder().interfaces(link.interfaceName()).output(file)
                    .kernelEvidence(KernelEvidence.REQUIRED).build();

            CaptureResult result;
            int localPort;
            try (Capture capture = Capture.start(spec); Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(link.jvmAddress(), 0));
                localPort = socket.getLocalPort();
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(link.host().address(), 1433), 1500))
                        .isInstanceOf(SocketTimeoutException.class);
                result = capture.stop();
            }

            assertThat(result.kernelEvidenceStatus()).startsWith("kernel evidence recorded");
            List<String> journal = tshark(file, "-Y", "systemd_journal", "-T", "fields", "-e", "frame.time_epoch",
                    "-e", "systemd_journal.message");
            String expected = "Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain), TCP "
                    + link.jvmAddress() + ":" + localPort + " \u2192 " + link.host().address() + ":1433 SYN";
            assertThat(journal).as("journal entries tshark shows").anyMatch(line -> line.contains(expected));
            assertThat(journal).as("each entry is one drop event, not the record's count")
                    .filteredOn(line -> line.contains(expected)).hasSizeGreaterThanOrEqualTo(2)
                    .noneMatch(line -> line.contains(" packets"));
            assertThat(journal.stream().filter(line -> line.contains(expected)).findFirst().orElseThrow())
                    .contains("process java (pid " + ProcessHandle.current().pid() + ")");
            // The firewall ate the SYNs before the wire: no packet to 1433 was captured.
            assertThat(tshark(file, "-Y", "tcp.dstport == 1433")).isEmpty();
            // Read back from the file, the analysis sees the same kernel drop record.
            assertThat(CapturedTraffic.read(file).drops())
                    .filteredOn(d -> d.source() == EvidenceSource.KERNEL)
                    .filteredOn(d -> d.flow().map(f -> f.destination().port() == 1433
                            && f.source().port() == localPort).orElse(false))
                    .singleElement()
                    .satisfies(d -> {
                        assertThat(d.reason()).contains("NETFILTER_DROP");
                        assertThat(d.component()).contains("netfilter (nftables)");
                        assertThat(d.processName()).contains("java");
                        assertThat(d.description()).startsWith(expected)
                                .endsWith("process java (pid " + ProcessHandle.current().pid() + ")");
                        assertThat(d.times()).hasSizeGreaterThanOrEqualTo(2);
                        assertThat(d.recordedBy()).contains("tracefs");
                        assertThat(d.confidence()).contains(Confidence.INFERRED);
                    });
        }
    }

    /**
     * Where bpftrace runs, the test waits until it is attached: its drop records know the flow when
     * they are recorded, so neither the in-kernel filter (the captured interface's /30) nor the cap
     * per flow lets other processes' drops on a loaded machine summarize the SYNs' drops away (the
     * tracefs cap is keyed before the flow is known: under such a flood its SYN drops can be
     * counted without the comment — issue 14).
     */
    @Test
    void synsDroppedOnHostInput_capturedSynsGetTheDropAsComment() throws Exception {
        Path file = dir.resolve("input-drop.pcapng");
        try (NetLab lab = NetLab.create()) {
            JvmLink link = lab.linkToJvm("db");
            link.host().tcpEchoServer(1433);
            link.host().firewall().dropInput("tcp dport 1433");
            CaptureSpec spec = CaptureSpec.builder().interfaces(link.interfaceName()).output(file)
                    .kernelEvidence(KernelEvidence.REQUIRED).build();
            try (Capture capture = Capture.start(spec); Socket socket = new Socket()) {
                awaitEbpfIfAvailable(capture);
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(link.host().address(), 1433), 2500))
                        .isInstanceOf(SocketTimeoutException.class);
                capture.stop();
            }

            // stop() itself commented the SYNs the kernel dropped: nothing to call by hand.
            // SYN at 0 s and its retransmission at 1 s (initial RTO), both seen leaving the JVM's side.
            List<String> syns = tshark(file, "-Y", "tcp.dstport == 1433 && tcp.flags.syn == 1", "-T", "fields",
                    "-E", "separator=|", "-e", "frame.number", "-e", "frame.comment");
            assertThat(syns).as("SYN frames (number|comment)").hasSizeGreaterThanOrEqualTo(2);
            assertThat(syns).allSatisfy(line -> assertThat(line).as("every captured SYN carries the drop")
                    .contains("Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain)")
                    .containsOnlyOnce("pcapunit: Drop:"));
            // The same drops, read back from the file, name the flow of the commented SYNs.
            assertThat(CapturedTraffic.read(file).dropsTo(1433)).anyMatch(d -> d.source() == EvidenceSource.KERNEL);
        }
    }

    @Test
    void kernelEvidenceOff_noJournalEntriesFromTheKernel() throws Exception {
        Path file = dir.resolve("off.pcapng");
        try (NetLab lab = NetLab.create()) {
            JvmLink link = lab.linkToJvm("db");
            link.firewall().dropOutput("tcp dport 1433");
            CaptureSpec spec = CaptureSpec.builder().interfaces(link.interfaceName()).output(file)
                    .kernelEvidence(KernelEvidence.OFF).build();
            try (Capture capture = Capture.start(spec); Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(link.host().address(), 1433), 300))
                        .isInstanceOf(SocketTimeoutException.class);
                capture.stop();
            }
            assertThat(tshark(file, "-Y", "systemd_journal.message contains \"NETFILTER_DROP\"")).isEmpty();
        }
    }

    private static void awaitEbpfIfAvailable(Capture capture) throws InterruptedException {
        if (BpfRecorder.unavailableReason(BpfRecorder.binary(), Path.of("/sys/kernel/btf/vmlinux")).isPresent()) {
            return;
        }
        EbpfEvidence.awaitAttached(capture);
    }

    private static List<String> tshark(Path file, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("tshark", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("tshark exit status for %s", file).isZero();
            return Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
