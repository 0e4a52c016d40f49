package io.github.pcapunit.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Real traffic for fixtures: UDP datagrams to 127.0.0.1 (nobody needs to listen). */
final class Loopback {

    private Loopback() {
    }

    static void sendUdp(int port, int count) {
        try (DatagramSocket socket = new DatagramSocket()) {
            byte[] payload = "pcapunit".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
