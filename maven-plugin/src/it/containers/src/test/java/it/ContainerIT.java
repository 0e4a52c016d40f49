package it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ContainerIT {

    @Test
    void echoContainer_answersTheClient() throws Exception {
        String address = Files.readString(Path.of(System.getProperty("db.address.file"))).strip();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 5432), 3000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("hello container\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("hello container",
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine());
        }
    }
}
