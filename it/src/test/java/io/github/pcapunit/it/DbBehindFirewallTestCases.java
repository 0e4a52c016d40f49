package io.github.pcapunit.it;

import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.junit.CaptureTraffic;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * The JUnit half of {@link BothEntryPointsIT}: the same connection attempt as the Maven build's IT
 * ({@code src/test/maven/sql-server-build}), to the database whose address is in the system
 * property {@value #DB_PROPERTY}, judged by {@code hasNoDroppedPacketsTo(1433)}. Not run on its
 * own (the name matches no test pattern): {@link BothEntryPointsIT} runs it through EngineTestKit.
 */
@CaptureTraffic(filter = "tcp port 1433")
class DbBehindFirewallTestCases {

    static final String DB_PROPERTY = "pcapunit.it.db";

    @Test
    void connectsToSqlServer(CapturedTraffic traffic) {
        String db = System.getProperty(DB_PROPERTY);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(db, 1433), 3_000);
        } catch (IOException e) {
            // The driver would say "login timeout expired"; the capture says why.
        }
        assertThat(traffic).hasNoDroppedPacketsTo(1433);
    }
}
