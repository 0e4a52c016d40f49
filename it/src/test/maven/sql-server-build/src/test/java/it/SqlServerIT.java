package it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** What a JDBC driver does first, as the README sample does: a TCP connection with a login timeout. */
class SqlServerIT {

    @Test
    void connectsToSqlServer() {
        String db = System.getProperty("db.address");
        if (!db.startsWith("10.200.")) {
            throw new IllegalArgumentException(db + " is not a lab address");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(db, 1433), 3_000);
        } catch (IOException e) {
            // The driver would say "login timeout expired"; the build's capture says why.
        }
    }
}
