package io.github.pcapunit.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Real traffic for fixtures: UDP datagrams to 127.0.0.1 (nobody needs to listen). */
final class Loopback {

    private Loopback() {
    }

    /** {@code count} datagrams holding "pcapunit" (8 bytes). */
    static void sendUdp(int port, int count) {
        send(port, count, "pcapunit".getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code count} datagrams of {@code size} bytes. */
    static void sendUdp(int port, int count, int size) {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'p');
        send(port, count, payload);
    }

    private static void send(int port, int count, byte[] payload) {
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int i = 0; i < count; i++) {
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
