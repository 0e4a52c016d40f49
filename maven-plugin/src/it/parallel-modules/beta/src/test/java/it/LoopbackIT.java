package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class LoopbackIT {

    @Test
    void echoServerOnLoopback_answersTheClient() throws Exception {
        int port = Integer.getInteger("it.port");
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    new DataOutputStream(s.getOutputStream()).writeUTF("echo " + in.readUTF());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            echo.start();
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                new DataOutputStream(client.getOutputStream()).writeUTF("hello pcapunit");
                assertEquals("echo hello pcapunit",
                        new DataInputStream(client.getInputStream()).readUTF());
            }
            echo.join(5000);
        }
    }
}
