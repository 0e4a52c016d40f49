package io.github.pcapunit.it;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.analysis.TcpConnection;
import io.github.pcapunit.junit.CaptureTraffic;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.testing.JvmLink;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seeds' scenarios end to end, through the public API: the JVM is "app", a network namespace
 * is "db" (a TCP server on 1433), real nftables rules sit on either side, {@code @CaptureTraffic}
 * captures and pcapunit's assertions give the verdict. Every file is kept (ALWAYS) so that
 * {@link LeftoversAndFilesIT} can have tshark and capinfos read each of them.
 */
@CaptureTraffic(keep = Keep.ALWAYS)
class FirewallScenariosIT {

    private NetLab lab;
    private JvmLink db;
    private String dbAddress;

    @BeforeEach
    void startDatabase() {
        NetLab.assumeAvailable();
        lab = NetLab.create();
        db = lab.linkToJvm("db");
        dbAddress = db.host().address();
        db.host().tcpEchoServer(1433);
    }

    @AfterEach
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    // 1. "Le ping ne passe pas"

    @Test
    @CaptureTraffic(filter = "icmp", keep = Keep.ALWAYS)
    void pingDroppedOnFarSideInput_isEchoWithoutReply(CapturedTraffic traffic) {
        db.host().firewall().dropInput("icmp type echo-request");

        Assertions.assertThat(Shell.ping(dbAddress, 3)).as("ping through the drop rule").isFalse();

        assertThatThrownBy(() -> assertThat(traffic).icmp().echoRequests().allAnswered())
                .hasMessageContaining(dbAddress)
                .hasMessageContaining(traffic.path().toString());
        Assertions.assertThat(onLab(traffic).drops()).extracting(Drop::kind).contains(DropKind.ECHO_WITHOUT_REPLY);
    }

    @Test
    @CaptureTraffic(filter = "icmp", keep = Keep.ALWAYS)
    void pingDroppedOnNearSideOutput_nothingOnTheWire_kernelNamesNetfilter(CapturedTraffic traffic) {
        db.firewall().dropOutput("icmp type echo-request");

        Assertions.assertThat(Shell.ping(dbAddress, 3)).as("ping through the drop rule").isFalse();

        Assertions.assertThat(traffic.filter("host " + dbAddress).packetCount()).as("packets on the wire").isZero();
        // Once bpftrace has attached (a few seconds after start), the kernel records carry the dropped
        // echo requests' own addresses: the check shows them as this flow's drops. Before that, tracefs
        // records name no addresses: the check shows them as drops it could not tie to a flow.
        boolean ebpf = onLab(traffic).drops().stream().anyMatch(d -> d.recordedBy().orElse("").equals("eBPF")
                && d.flow().isPresent());
        assertThatThrownBy(() -> assertThat(traffic).icmp().echoRequests().allAnswered())
                .hasMessageContaining(traffic.path().toString())
                .hasMessageContaining(ebpf ? "but no ICMP echo request was seen, only "
                        : "but no ICMP echo request was seen, while the firewall dropped packets")
                .hasMessageContaining("Drop: reason NETFILTER_DROP, component netfilter (nftables, nft_do_chain)")
                .hasMessageContaining("process ping");
        Assertions.assertThat(onLab(traffic).drops()).filteredOn(d -> d.source() == EvidenceSource.KERNEL)
                .anySatisfy(d -> {
                    Assertions.assertThat(d.reason()).hasValue("NETFILTER_DROP");
                    Assertions.assertThat(d.component()).hasValueSatisfying(
                            c -> Assertions.assertThat(c).contains("netfilter (nftables"));
                });
    }

    @Test
    @CaptureTraffic(filter = "icmp", keep = Keep.ALWAYS, explainFirewall = "icmp type echo-request")
    void pingDroppedOnNearSideOutput_explainMode_namesTheRuleAndBothHosts(CapturedTraffic traffic) {
        db.firewall().dropOutput("icmp type echo-request");

        Assertions.assertThat(Shell.ping(dbAddress, 2)).as("ping through the drop rule").isFalse();

        assertThatThrownBy(() -> assertThat(traffic).icmp().echoRequests().allAnswered())
                .hasMessageContaining("Drop: verdict drop by rule table inet " + db.firewall().table() + " chain output")
                .hasMessageContaining("comment \"pcapunit lab: drop icmp type echo-request\"")
                .hasMessageContaining(db.jvmAddress() + " \u2192 " + dbAddress);
    }

    // 2. The seed's SQL Server scenario: 1433 dropped on app's OUTPUT while ping passes; then the fix.

    @Test
    @CaptureTraffic(filter = "tcp port 1433", keep = Keep.ALWAYS)
    void sqlDroppedOnAppOutput_whilePingPasses_failsNamingNetfilterDrop(CapturedTraffic traffic) {
        db.firewall().dropOutput("tcp dport 1433");

        Assertions.assertThat(Shell.ping(dbAddress, 1)).as("ping (layer 3 is fine)").isTrue();
        Assertions.assertThat(connect(1433)).isEqualTo("timeout");

        assertThatThrownBy(() -> assertThat(traffic).hasNoDroppedPacketsTo(1433))
                .hasMessageContaining("NETFILTER_DROP")
                .hasMessageContaining("netfilter (nftables")
                .hasMessageContaining(dbAddress)
                .hasMessageContaining(":1433")
                .hasMessageContaining(traffic.path().toString());
    }

    @Test
    @CaptureTraffic(filter = "tcp port 1433", keep = Keep.ALWAYS, explainFirewall = "tcp dport 1433")
    void sqlDroppedOnAppOutput_explainMode_namesTheExactRule(CapturedTraffic traffic) {
        db.firewall().dropOutput("tcp dport 1433");

        Assertions.assertThat(connect(1433)).isEqualTo("timeout");

        assertThatThrownBy(() -> assertThat(traffic).hasNoDroppedPacketsTo(1433))
                .hasMessageContaining("Drop: verdict drop by rule table inet " + db.firewall().table()
                        + " chain output handle ")
                .hasMessageContaining("comment \"pcapunit lab: drop tcp dport 1433\"")
                .hasMessageContaining(db.jvmAddress() + ":")
                .hasMessageContaining(dbAddress + ":1433 SYN");
        Assertions.assertThat(onLab(traffic).drops()).filteredOn(d -> d.source() == EvidenceSource.FIREWALL)
                .isNotEmpty()
                .allSatisfy(d -> Assertions.assertThat(d.firewallRule()).hasValueSatisfying(
                        r -> Assertions.assertThat(r.chain()).isEqualTo("output")));
    }

    @Test
    @CaptureTraffic(filter = "tcp port 1433", keep = Keep.ALWAYS)
    void sqlDroppedOnAppOutput_withTheSeedsAllowRule_passes(CapturedTraffic traffic) {
        db.firewall().dropOutput("tcp dport 1433");
        db.firewall().acceptOutput("ip daddr " + dbAddress + " tcp dport 1433");

        Assertions.assertThat(connect(1433)).isEqualTo("echoed");

        assertThat(traffic).hasNoDroppedPacketsTo(1433).hasNoDroppedPacketsTo(dbAddress, 1433);
        assertThat(traffic).connections().to(1433).allEstablished().noneReset().noneRetransmitted();
    }

    // 3. DROP on db's INPUT: SYNs retransmitted on the wire, and the kernel's reason.

    @Test
    @CaptureTraffic(filter = "tcp port 1433", keep = Keep.ALWAYS)
    void sqlDroppedOnDbInput_showsSynRetransmissionsAndKernelReason(CapturedTraffic traffic) {
        db.host().firewall().dropInput("tcp dport 1433");

        Assertions.assertThat(connect(1433)).isEqualTo("timeout");

        assertThatThrownBy(() -> assertThat(traffic).hasNoDroppedPacketsTo(1433))
                .hasMessageContaining("SYN")
                .hasMessageContaining("no SYN-ACK")
                .hasMessageContaining("NETFILTER_DROP");
        Assertions.assertThat(onLab(traffic).drops()).extracting(Drop::kind)
                .contains(DropKind.UNANSWERED_CONNECTION_ATTEMPT, DropKind.KERNEL_DROP);
    }

    // Established, then the firewall starts dropping: the data is retransmitted.

    @Test
    @CaptureTraffic(filter = "tcp port 1433", keep = Keep.ALWAYS)
    void dropAfterTheHandshake_dataRetransmissions_areFlagged(CapturedTraffic traffic) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(dbAddress, 1433), 3_000);
            db.host().firewall().dropInput("tcp dport 1433");
            socket.getOutputStream().write("SELECT 1\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Thread.sleep(1_500); // RTO from ~200 ms, doubling: several retransmissions
        }

        assertThatThrownBy(() -> assertThat(traffic).connections().to(1433).noneRetransmitted())
                .hasMessageContaining("retransmi")
                .hasMessageContaining(dbAddress + ":1433");
        java.util.List<TcpConnection> connections = onLab(traffic).connectionsTo(1433);
        Assertions.assertThat(connections).hasSize(1);
        TcpConnection connection = connections.get(0);
        Assertions.assertThat(connection.isEstablished()).isTrue();
        Assertions.assertThat(connection.dataRetransmissions()).isGreaterThanOrEqualTo(2);
        Assertions.assertThat(connection.retransmissionFrames()).hasSize((int) connection.dataRetransmissions());
        Assertions.assertThat(onLab(traffic).drops()).extracting(Drop::kind).contains(DropKind.RETRANSMITTED);
    }

    // 4. REJECT: reset, port unreachable, admin prohibited — each classified distinctly.

    @Test
    @CaptureTraffic(filter = "tcp port 1433 or icmp", keep = Keep.ALWAYS)
    void rejectWithTcpReset_isRefused(CapturedTraffic traffic) {
        db.host().firewall().rejectInput("tcp dport 1433", "tcp reset");

        Assertions.assertThat(connect(1433)).isEqualTo("refused");

        assertThatThrownBy(() -> assertThat(traffic).connections().to(1433).noneReset())
                .hasMessageContaining("RST");
        Assertions.assertThat(onLab(traffic).drops()).extracting(Drop::kind).contains(DropKind.REFUSED)
                .doesNotContain(DropKind.ICMP_UNREACHABLE);
    }

    @Test
    @CaptureTraffic(filter = "tcp port 1433 or icmp", keep = Keep.ALWAYS)
    void rejectWithIcmpPortUnreachable_isMatchedToTheConnection(CapturedTraffic traffic) {
        db.host().firewall().rejectInput("tcp dport 1433", "icmp type port-unreachable");

        Assertions.assertThat(connect(1433)).isEqualTo("refused");

        assertThatThrownBy(() -> assertThat(traffic).hasNoDroppedPacketsTo(1433))
                .hasMessageContaining("port unreachable");
        Assertions.assertThat(onLab(traffic).drops()).filteredOn(d -> d.kind() == DropKind.ICMP_UNREACHABLE)
                .singleElement()
                .satisfies(d -> Assertions.assertThat(d.icmpCode()).hasValue(3))
                .satisfies(d -> Assertions.assertThat(d.flow()).hasValueSatisfying(
                        f -> Assertions.assertThat(f.toString()).contains(":1433")));
    }

    @Test
    @CaptureTraffic(filter = "tcp port 1433 or icmp", keep = Keep.ALWAYS)
    void rejectWithAdminProhibited_isRecognised(CapturedTraffic traffic) {
        db.host().firewall().rejectInput("tcp dport 1433", "icmp type admin-prohibited");

        Assertions.assertThat(connect(1433)).isIn("refused", "unreachable");

        assertThatThrownBy(() -> assertThat(traffic).hasNoDroppedPacketsTo(1433))
                .hasMessageContaining("admin prohibited");
        Assertions.assertThat(onLab(traffic).drops()).filteredOn(d -> d.kind() == DropKind.ICMP_UNREACHABLE)
                .singleElement()
                .satisfies(d -> Assertions.assertThat(d.icmpCode()).hasValue(13));
    }

    // 5. A healthy exchange: handshake, data, FIN — every assertion passes.

    @Test
    @CaptureTraffic(filter = "tcp port 1433 or icmp", keep = Keep.ALWAYS)
    void healthyExchange_passesEveryAssertion(CapturedTraffic traffic) {
        Assertions.assertThat(Shell.ping(dbAddress, 2)).isTrue();
        Assertions.assertThat(connect(1433)).isEqualTo("echoed");

        // The capture sees every interface; look at this lab's link only (other tests' ICMP on
        // loopback would count too).
        CapturedTraffic lab = traffic.filter("host " + dbAddress);
        assertThat(lab)
                .hasNoDrops()
                .hasNoDroppedPacketsTo(1433)
                .isComplete()
                .onlyTalksTo(dbAddress, db.jvmAddress());
        assertThat(lab).connections().to(1433).allEstablished().noneReset().noneRetransmitted();
        assertThat(lab).icmp().echoRequests().allAnswered();
        assertThat(lab).packets().matching("tcp port 1433").isNotEmpty();
        // Kernel records without a flow cannot be tied to this capture; every record about a flow must
        // be absent - except notes (Drop.isNote(): NO_SOCKET at ping_rcv, root ping's replies freed
        // after its raw socket got its copy), which the verdicts hold on the answered exchanges.
        Assertions.assertThat(lab.drops()).filteredOn(d -> d.flow().isPresent())
                .filteredOn(d -> !d.isNote())
                .isEmpty();
        Assertions.assertThat(lab.verdicts()).noneMatch(v -> v.isFailure());
    }

    /** Only this lab's packets: the capture also sees other tests' traffic on loopback. */
    private CapturedTraffic onLab(CapturedTraffic traffic) {
        return traffic.filter("host " + dbAddress);
    }

    /** Connects from the JVM to db, sends a line and reads the echo; says what happened. */
    private String connect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(dbAddress, port), 3_000);
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write("SELECT 1\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] echo = in.readNBytes(9);
            return new String(echo, StandardCharsets.US_ASCII).equals("SELECT 1\n") ? "echoed" : "garbled";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (NoRouteToHostException e) {
            return "unreachable";
        } catch (ConnectException e) {
            return e.getMessage() != null && e.getMessage().contains("unreachable") ? "unreachable" : "refused";
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("unreachable") ? "unreachable" : "io: " + e;
        }
    }
}
