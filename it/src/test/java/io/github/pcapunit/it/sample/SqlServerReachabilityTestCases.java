package io.github.pcapunit.it.sample;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.junit.CaptureTraffic;
import io.github.pcapunit.testing.JvmLink;
import io.github.pcapunit.testing.NetLab;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample of the README: an integration test that talks to "SQL Server" on port 1433 in
 * another network namespace, behind a firewall rule that drops port 1433 on the server's input —
 * the seed scenario of pktmon's guide, on Linux.
 *
 * <p>Run by {@code ./demo} (which shows its failure) and by {@code SqlServerSampleIT} through
 * JUnit's EngineTestKit, once with the rule (fails with pcapunit's message) and once with the
 * seed's fix, an allow rule in front of it (passes). The system property
 * {@value #FIXED_PROPERTY} selects the fix.
 */
@CaptureTraffic(filter = "tcp port 1433")
class SqlServerReachabilityTestCases {

    static final String FIXED_PROPERTY = "pcapunit.sample.firewallFixed";

    private static NetLab lab;
    private static JvmLink database;

    @BeforeAll
    static void startDatabaseBehindFirewall() {
        NetLab.assumeAvailable();
        lab = NetLab.create();
        database = lab.linkToJvm("db");
        database.host().tcpEchoServer(1433);
        // The rule that silently breaks the build: inbound SQL Server traffic is dropped.
        database.host().firewall().dropInput("tcp dport 1433");
        if (Boolean.getBoolean(FIXED_PROPERTY)) {
            // The seed's fix: an allow rule in front of the drop.
            database.host().firewall().acceptInput("tcp dport 1433 ip saddr " + database.jvmAddress());
        }
    }

    @AfterAll
    static void stopDatabase() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void connectsToSqlServer(CapturedTraffic traffic) {
        // What a JDBC driver does first: open a TCP connection, with a login timeout.
        tryToConnect(database.host().address(), 1433, 3_000);

        assertThat(traffic).hasNoDroppedPacketsTo(1433);
    }

    private static void tryToConnect(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.getOutputStream().write("SELECT 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getInputStream().read(new byte[8]);
        } catch (IOException e) {
            // The driver would report "login timeout expired"; the capture says why.
        }
    }
}
