package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.CaptureAvailability;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Test helpers of the capture engine tests: tshark as the outside referee, loopback traffic. */
public final class EngineTools {

    private EngineTools() {
    }

    /** Skips the test unless this process may capture. */
    public static void assumeCapture() {
        CaptureAvailability a = CaptureAvailability.check();
        Assumptions.assumeTrue(a.isAvailable(), a.reason());
    }

    /**
     * tshark's field lines for {@code file}: {@code tshark -r file -T fields -e f1 -e f2 -Y display};
     * a {@code null} display means packets only (no journal entries of kernel evidence or marks).
     */
    public static List<String> tshark(Path file, String display, String... fields) {
        if (display == null) {
            display = "not systemd_journal";
        }
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-E", "separator=|"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        cmd.add("-Y");
        cmd.add(display);
        return run(cmd);
    }

    /** Runs a command, returns its stdout lines; fails on a non-zero exit. */
    public static List<String> run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] err;
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(cmd + " failed: " + new String(err, StandardCharsets.UTF_8) + out);
            }
            List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n")));
            lines.removeIf(String::isEmpty);
            return lines;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A free UDP port on loopback (bound then released). */
    public static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends {@code count} datagrams "seq-N" to 127.0.0.1:{@code port}; returns after the last send. */
    public static void sendUdp(int port, int count) {
        try (DatagramSocket s = new DatagramSocket()) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            for (int i = 0; i < count; i++) {
                byte[] b = ("seq-" + i).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(b, b.length, to));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
