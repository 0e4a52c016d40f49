package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class FailingIT {

    @Test
    void serverAnswersSomethingElse_failsTheIT() throws Exception {
        int port = Integer.getInteger("it.port");
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    new DataInputStream(s.getInputStream()).readUTF();
                    new DataOutputStream(s.getOutputStream()).writeUTF("unexpected");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            String answer;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                new DataOutputStream(client.getOutputStream()).writeUTF("hello");
                answer = new DataInputStream(client.getInputStream()).readUTF();
            }
            echo.join(5000);
            assertEquals("expected", answer, "this IT fails on purpose");
        }
    }
}
