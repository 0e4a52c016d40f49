package it;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Sends a datagram to 127.0.0.1:29481 every 10 ms; says when it runs; gives up after 30 s. */
class LongRunningIT {

    @Test
    void sendsUntilTheBuildIsKilled() throws Exception {
        byte[] payload = "pcapunit".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket()) {
            System.out.println("LongRunningIT sending");
            System.out.flush();
            long end = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < end) {
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), 29481));
                Thread.sleep(10);
            }
        }
    }
}
