package io.github.pcapunit.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.EvidenceStatus;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.InterfaceStatistics;
import io.github.pcapunit.core.pcapng.JournalKey;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import io.github.pcapunit.testing.JvmLink;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The assertions over real traffic: the JVM talks over a veth to a lab namespace whose nftables
 * rules drop, reset or reject; pcapunit's own engine captures the JVM side. Two captures, made
 * once: a healthy one, then one with every firewall scenario at the same time (the DROP case
 * needs ~3.5 s of SYN retransmissions, so the scenarios share that wait).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallScenariosTest {

    private static final int HEALTHY = 1433;
    private static final int DROPPED = 1434;
    private static final int RESET = 1435;
    private static final int PORT_UNREACHABLE = 1436;
    private static final int ADMIN_PROHIBITED = 1437;
    private static final int OUTBOUND_DROPPED = 1438;

    private NetLab lab;
    private Path dir;
    private String db;
    private String jvm;
    private CapturedTraffic healthy;
    private CaptureResult healthyResult;
    private CapturedTraffic failing;

    @BeforeAll
    void captureBothScenarios() throws Exception {
        NetLab.assumeAvailable();
        dir = Files.createTempDirectory("pcapunit-assertions");
        lab = NetLab.create();
        JvmLink link = lab.linkToJvm("db");
        db = link.host().address();
        jvm = link.jvmAddress();
        link.host().tcpEchoServer(HEALTHY);
        link.host().tcpEchoServer(DROPPED);

        healthy = capture(link, "healthy", () -> {
            echo(HEALTHY, "hello");
            ping(2);
        });

        link.host().firewall().dropInput("tcp dport " + DROPPED)
                .rejectInput("tcp dport " + RESET, "tcp reset")
                .rejectInput("tcp dport " + PORT_UNREACHABLE, "icmp type port-unreachable")
                .rejectInput("tcp dport " + ADMIN_PROHIBITED, "icmp type admin-prohibited")
                .dropInput("icmp type echo-request");
        link.firewall().dropOutput("tcp dport " + OUTBOUND_DROPPED);
        failing = capture(link, "firewalled", () -> {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> all = new ArrayList<>();
                for (int port : new int[] {DROPPED, RESET, PORT_UNREACHABLE, ADMIN_PROHIBITED, OUTBOUND_DROPPED}) {
                    all.add(pool.submit(() -> attempt(port)));
                }
                all.add(pool.submit(() -> ping(2)));
                for (Future<?> f : all) {
                    f.get(20, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        });
    }

    @AfterAll
    void removeLab() throws IOException {
        if (lab != null) {
            lab.close();
        }
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private interface Traffic {
        void run() throws Exception;
    }

    private CapturedTraffic capture(JvmLink link, String name, Traffic traffic) throws Exception {
        CaptureSpec spec = CaptureSpec.builder().interfaces(link.interfaceName()).filter("host " + db)
                .output(dir.resolve(name + ".pcapng")).build();
        CaptureResult result;
        try (Capture capture = Capture.start(spec)) {
            traffic.run();
            result = capture.stop();
        }
        if (healthyResult == null) {
            healthyResult = result;
        }
        return CapturedTraffic.of(result);
    }

    private void echo(int port, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(db, port), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write((text + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            assertThat(in.read(buf)).isPositive();
        }
    }

    private Void attempt(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(db, port), 3500);
            throw new AssertionError("connection to port " + port + " should have failed");
        } catch (IOException expected) {
            return null;
        }
    }

    private Void ping(int count) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ping", "-n", "-q", "-c", Integer.toString(count), "-i", "0.2", "-W", "1", db)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return null;
    }

    @Test
    void healthyTraffic_passesEveryAssertion() {
        assertThatCode(() -> PcapunitAssertions.assertThat(healthy)
                .hasNoDroppedPacketsTo(HEALTHY)
                .hasNoDroppedPacketsTo(db, HEALTHY)
                .hasNoDrops()
                .isComplete()
                .onlyTalksTo(db)
                .hasNoTrafficTo(db, DROPPED)
                .hasNoTrafficTo("127.0.0.0/8"))
                .doesNotThrowAnyException();
        assertThatCode(() -> PcapunitAssertions.assertThat(healthyResult).hasNoDroppedPacketsTo(HEALTHY).isComplete())
                .doesNotThrowAnyException();
        assertThatCode(() -> PcapunitAssertions.assertThat(healthy).connections().to(HEALTHY)
                .allEstablished().noneReset().noneRetransmitted())
                .doesNotThrowAnyException();
        assertThatCode(() -> PcapunitAssertions.assertThat(healthy).icmp().echoRequests().allAnswered())
                .doesNotThrowAnyException();
        assertThatCode(() -> PcapunitAssertions.assertThat(healthy).packets().matching("tcp port " + HEALTHY)
                .isNotEmpty()
                .allMatch(p -> p.sourcePort() == HEALTHY || p.destinationPort() == HEALTHY, "to use port 1433")
                .anyMatch(DecodedPacket::isFin, "to carry a FIN"))
                .doesNotThrowAnyException();
        // The same assertions do fail on the firewalled capture, so passing here means something.
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).hasNoDrops()).isInstanceOf(AssertionError.class);
    }

    @Test
    void firewallDrop_failsWithTheSynRetransmissionTimes() {
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).hasNoDroppedPacketsTo(DROPPED))
                .isInstanceOf(AssertionError.class)
                .message()
                // the verdict leads: where it was lost only kernel evidence can say
                .startsWith("TCP " + jvm + ":")
                // db's INPUT drops the SYNs after they were captured leaving: not on this host. An eBPF
                // record (once bpftrace attached) names db's namespace and hook; tracefs names no place
                .contains(ebpfPlaced() ? " (INPUT), at the server, not on this host: " : kernelEvidence()
                        ? " was dropped after it was captured leaving this host, so on another host"
                        + " or namespace on the path (NETFILTER_DROP at nft_do_chain; the kernel record names no"
                        + " namespace): SYN sent " : " was not answered: SYN sent ")
                .contains("\nExpecting the traffic captured in " + failing.path() + "\n"
                        + "to have no dropped packets to port " + DROPPED + "\n"
                        + "but found 1 drop (see above)")
                .contains("\n  SYN " + jvm + ":")
                // relative times count from the capture's earliest packet: none is before it. 3 SYNs
                // within the connect's 3.5 s (exponential SYN timeouts), 4 (linear, kernel 6.5+), 5
                // when a loaded machine closes the socket late (seen once at load ~8: +4.091 s)
                .containsPattern("\u2192 " + db.replace(".", "\\.") + ":" + DROPPED
                        + " sent [345]\u00d7 at \\+\\d\\.\\d{3} s, \\+\\d\\.\\d{3} s, \\+\\d\\.\\d{3} s.*, no SYN-ACK")
                .doesNotContain("+-");
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).connections().to(DROPPED).allEstablished())
                .hasMessageContaining("to have all 1 connections to port " + DROPPED + " established")
                .hasMessageContaining("but 1 of 1 was not")
                .hasMessageContaining("no SYN-ACK");
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).connections().to(DROPPED).noneRetransmitted())
                .hasMessageContaining("to have none of the 1 connections to port " + DROPPED + " retransmitted");
    }

    @Test
    void kernelEvidence_showsTheDropLikePktmon() {
        org.junit.jupiter.api.Assumptions.assumeTrue(kernelEvidence(), "kernel evidence not recorded here");
        String drop = "\n  Drop: reason NETFILTER_DROP, component netfilter \\(nftables, nft_do_chain\\), TCP "
                + jvm.replace(".", "\\.") + ":\\d+ \u2192 " + db.replace(".", "\\.") + ":" + DROPPED + " SYN";
        // this JVM connect()ed the flow; the kernel names a process by its main thread's name
        String process = "process java \\(pid " + ProcessHandle.current().pid() + "\\)";
        String message = catchThrowableOfType(() -> PcapunitAssertions.assertThat(failing)
                .hasNoDroppedPacketsTo(DROPPED), AssertionError.class).getMessage();
        boolean placed = ebpfPlaced();
        if (placed) {
            // where: eBPF read the packet on db's INPUT, so its record names the namespace and hook;
            // who: the packet has no socket there, so the record names the process whose connect()
            // of this flow the kernel journal shows (tracefs SYN_SENT), and says that is inferred
            assertThat(message).as("the eBPF record names the place%s", connectInJournal() ? " and the process" : "")
                    .containsPattern(drop + ", hook INPUT in namespace \\S+-db, ttl \\d+(, \\d+ packets)?"
                            + (connectInJournal() ? ", sent by " + process + ", which connect\\(\\)ed this flow"
                                    + " \\(inferred: the kernel journal's only connect\\(\\) to it\\)" : "")
                            + " \\[eBPF, observed\\]\n");
        }
        if (!placed || tracefsTied()) {
            // drops before bpftrace attached (or without eBPF): tracefs tied them by the connect
            assertThat(message).as("the tracefs record names the connecting process")
                    .containsPattern(drop + "(, \\d+ packets)?, " + process + "\n");
        }
    }

    /** Whether eBPF recorded a drop of the SYNs to DROPPED, with its namespace. */
    private boolean ebpfPlaced() {
        return failing.drops().stream().anyMatch(d -> d.recordedBy().orElse("").equals("eBPF")
                && d.namespace().isPresent() && d.flow().map(f -> f.destination().port() == DROPPED).orElse(false));
    }

    /** Whether tracefs recorded (and tied to the flow) a drop of the SYNs to DROPPED. */
    private boolean tracefsTied() {
        return failing.drops().stream().anyMatch(d -> d.recordedBy().orElse("").equals("tracefs")
                && d.flow().map(f -> f.destination().port() == DROPPED).orElse(false));
    }

    /** Whether the kernel journal holds this JVM's connect to db:DROPPED (a tracefs SYN_SENT transition). */
    private boolean connectInJournal() {
        return failing.journal().stream().anyMatch(e -> e.isEvent("inet_sock_set_state")
                && "TCP_SYN_SENT".equals(e.getOrDefault(JournalKey.PCAPUNIT_NEWSTATE, ""))
                && db.equals(e.getOrDefault(JournalKey.PCAPUNIT_DADDR, ""))
                && Integer.toString(DROPPED).equals(e.getOrDefault(JournalKey.PCAPUNIT_DPORT, ""))
                && Long.toString(ProcessHandle.current().pid()).equals(e.getOrDefault(JournalKey.PID, "")));
    }

    private boolean kernelEvidence() {
        return failing.evidenceStatus().map(s -> s.recorded(EvidenceStatus.Source.KERNEL_TRACE)).orElse(false);
    }

    @Test
    void rejectWithTcpReset_isARefusedConnection() {
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).hasNoDroppedPacketsTo(RESET))
                .hasMessageStartingWith("TCP " + jvm + ":")
                // nothing else from db is in this capture (its ping is dropped): the RST's origin is unverified
                .hasMessageContaining(" was refused by the server " + db + ": it answered the SYN with a reset (inferred).")
                .hasMessageContaining("the RST from " + db + " arrived with TTL 64; nothing else from " + db
                        + " was captured to compare it with: the origin is unverified")
                .hasMessageContaining("but found 1 drop (see above)")
                .hasMessageMatching("(?s).*SYN " + jvm.replace(".", "\\.") + ":\\d+ \u2192 " + db.replace(".", "\\.")
                        + ":" + RESET + " at \\+\\d\\.\\d{3} s refused: RST from .*")
                .message().doesNotContain("+-");
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).connections().to(RESET).noneReset())
                .hasMessageContaining("to have none of the 1 connections to port " + RESET + " reset\nbut 1 was");
    }

    @Test
    void icmpRejects_areNamedPortUnreachableAndAdminProhibited() {
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).hasNoDroppedPacketsTo(PORT_UNREACHABLE))
                .hasMessageContaining("  ICMP port unreachable from " + db + " for TCP " + jvm);
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).hasNoDroppedPacketsTo(db, ADMIN_PROHIBITED))
                .hasMessageContaining("to have no dropped packets to " + db + ":" + ADMIN_PROHIBITED)
                .hasMessageContaining("  ICMP admin prohibited from " + db + " for TCP " + jvm);
    }

    @Test
    void droppedPing_failsAllAnswered() {
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).icmp().echoRequests().allAnswered())
                .hasMessageContaining("to have all 2 ICMP echo requests answered\nbut 2 of 2 got no echo reply")
                .hasMessageContaining("ICMP echo request " + jvm + " \u2192 " + db + " id=")
                .hasMessageContaining("no reply at +");
    }

    @Test
    void outboundDrop_leavesNoPacketOnTheWire_andTheFailureSaysWhy() {
        assertThat(failing.packetsTo(OUTBOUND_DROPPED)).isZero();
        String status = failing.kernelEvidenceStatus().orElse("");
        if (kernelEvidence()) {
            assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).hasNoDroppedPacketsTo(OUTBOUND_DROPPED))
                    .hasMessageContaining("Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain)")
                    .hasMessageContaining(":" + OUTBOUND_DROPPED);
        } else {
            assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).hasNoDroppedPacketsTo(OUTBOUND_DROPPED))
                    .hasMessageContaining("but no traffic to port " + OUTBOUND_DROPPED + " was seen: if the code did"
                            + " connect, the packets were dropped before reaching a captured interface")
                    .hasMessageContaining(status.isEmpty() ? "Kernel drop evidence: none in this file" : status);
        }
    }

    @Test
    void noTrafficToThePort_failsWithTheExplanation_unlessAllowed() {
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(healthy).hasNoDroppedPacketsTo(5432))
                .hasMessageStartingWith("Expecting the traffic captured in " + healthy.path() + "\n"
                        + "to have no dropped packets to port 5432\n"
                        + "but no traffic to port 5432 was seen: if the code did connect, the packets were dropped"
                        + " before reaching a captured interface (e.g. by a local firewall).")
                .hasMessageEndingWith("allowingNoTraffic() in assertions, <allowNoTraffic>true</allowNoTraffic> in"
                        + " capture:verify.");
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(healthy).connections().to(5432).noneReset())
                .hasMessageContaining("but no TCP connection to port 5432 was seen");
        assertThatCode(() -> PcapunitAssertions.assertThat(healthy).allowingNoTraffic()
                .hasNoDroppedPacketsTo(5432)
                .connections().to(5432).noneReset())
                .doesNotThrowAnyException();
    }

    @Test
    void captureLoss_isStatedInEveryFailure_andFailsIsComplete() throws IOException {
        // The real firewalled capture, copied with an Interface Statistics Block reporting 7
        // packets lost in the kernel buffer: what a capture under load would record.
        Path lossy = dir.resolve("lossy.pcapng");
        try (PcapReader in = PcapReader.open(failing.path())) {
            assertThat(in.nextPacket()).isTrue(); // interfaces are known once the first packet is read
            try (PcapngWriter out = PcapngWriter.open(lossy, SectionHeader.empty(),
                    in.interfaces().toArray(new InterfaceDescription[0]))) {
                do {
                    out.writePacket(in.interfaceId(), in.timestampNanos(), in.originalLength(), in.payloadArray(),
                            in.payloadOffset(), in.capturedLength(), null);
                } while (in.nextPacket());
                out.writeStatistics(0, InterfaceStatistics.builder().ifRecv(100).osDrop(7).ifDrop(0).build());
            }
        }
        CapturedTraffic traffic = CapturedTraffic.read(lossy);
        String loss = traffic.incompleteness().orElseThrow();

        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).isComplete())
                .hasMessageStartingWith("Expecting the traffic captured in " + lossy + "\n"
                        + "to be complete (no packet lost by the capture)\n"
                        + "but the capture lost 7 packets:\n  " + loss);
        String sentence = Character.toUpperCase(loss.charAt(0)) + loss.substring(1);
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).hasNoDroppedPacketsTo(DROPPED))
                .hasMessageContaining("\n" + sentence);
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).icmp().echoRequests().allAnswered())
                .hasMessageContaining("\n" + sentence);
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).onlyTalksTo("127.0.0.1"))
                .hasMessageContaining("\n" + sentence);
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(traffic).packets().matching("udp").isNotEmpty())
                .hasMessageContaining("\n" + sentence);
    }

    @Test
    void onlyTalksTo_listsTheOtherFlows_andDescriptionsApply() {
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).as("no calls outside localhost")
                .onlyTalksTo("127.0.0.0/8", "::1"))
                .hasMessageStartingWith("[no calls outside localhost] Expecting the traffic captured in ")
                .hasMessageContaining("to only talk to 127.0.0.0/8, ::1\nbut found ")
                .hasMessageContaining("  TCP " + jvm + ":")
                .hasMessageContaining("  ICMP " + jvm + " \u2192 " + db + ", 2 packets, first at +");
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).hasNoTrafficTo(db, RESET))
                .hasMessageContaining("to have no traffic to " + db + ":" + RESET + "\nbut found 1 flow:");
        assertThatThrownBy(() -> PcapunitAssertions.assertThat(failing).withFailMessage("custom").hasNoDrops())
                .hasMessage("custom");
    }

    @Test
    void softAssertions_collectEveryFailure_includingNavigation() {
        SoftPcapunitAssertions softly = new SoftPcapunitAssertions();
        softly.assertThat(failing).as("db scenario").hasNoDroppedPacketsTo(DROPPED).hasNoDroppedPacketsTo(RESET);
        softly.assertThat(failing).icmp().echoRequests().allAnswered();
        softly.assertThat(failing).connections().to(RESET).noneReset();
        softly.assertThat(failing).packets().matching("tcp port " + HEALTHY).isNotEmpty();
        softly.assertThat(healthy).hasNoDroppedPacketsTo(HEALTHY);

        List<Throwable> errors = softly.errorsCollected();

        assertThat(errors).hasSize(5);
        assertThat(errors.get(0)).hasMessageStartingWith("[db scenario] TCP " + jvm + ":")
                .hasMessageContaining("\nExpecting the traffic captured in");
        assertThat(errors).extracting(Throwable::getMessage).anySatisfy(m -> assertThat(m).contains("got no echo reply"))
                .anySatisfy(m -> assertThat(m).contains("to have at least one of the packets matching \"tcp port 1433\""));
        assertThatThrownBy(softly::assertAll).isInstanceOf(AssertionError.class);
    }
}
