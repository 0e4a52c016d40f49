package it;

import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The user's first IT: nothing listens on the port, so the connection is refused and the IT errors. */
class ServerIT {

    @Test
    void connectsToTheServer() throws Exception {
        new Socket(InetAddress.getLoopbackAddress(), Integer.getInteger("it.port")).close();
    }
}
