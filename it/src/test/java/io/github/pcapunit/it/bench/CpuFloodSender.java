package io.github.pcapunit.it.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * One sender process of {@link CaptureCpuBench}: sends 100-byte UDP datagrams to a loopback port
 * at a paced rate, on command, as many times as asked, so its JVM starts (and compiles its loop)
 * once, outside every measured window.
 *
 * <pre>{@code
 * java ... CpuFloodSender 40123 40124   # flood port, warm-up port
 * > GO 150000 2.0                       # 150,000 datagrams/s (0 = as fast as it can) for 2 s
 * < SENT 299998 2000113                 # datagrams sent, nanoseconds spent sending
 * > QUIT
 * }</pre>
 *
 * Pacing: the loop sends whatever is due at {@code rate} since the start and parks 50 µs when
 * nothing is due, so a paced sender leaves the CPU to the capturer; one that falls behind sends
 * what is due in a burst and reports the rate it reached.
 */
public final class CpuFloodSender {

    static final int PAYLOAD = 100;

    private CpuFloodSender() {
    }

    /** Arguments: flood port, warm-up port (a port no capture filter of the bench matches). */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int warmPort = Integer.parseInt(args[1]);
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramChannel flood = DatagramChannel.open(); DatagramChannel warm = DatagramChannel.open()) {
            flood.connect(new InetSocketAddress(lo, port));
            warm.connect(new InetSocketAddress(lo, warmPort));
            ByteBuffer payload = ByteBuffer.allocateDirect(PAYLOAD);
            send(warm, payload, 0, 0.5); // compiles the loop before any measured window
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null && line.startsWith("GO ")) {
                String[] f = line.split(" ");
                long t0 = System.nanoTime();
                long sent = send(flood, payload, Long.parseLong(f[1]), Double.parseDouble(f[2]));
                System.out.println("SENT " + sent + " " + (System.nanoTime() - t0));
                System.out.flush();
            }
        }
    }

    /** Sends at {@code rate} datagrams/s (0: unpaced) for {@code seconds}; returns the count sent. */
    static long send(DatagramChannel ch, ByteBuffer payload, long rate, double seconds) throws IOException {
        long sent = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        while ((now = System.nanoTime()) < end) {
            long due = rate == 0 ? sent + 256 : (long) ((now - start) / 1e9 * rate);
            if (due <= sent) {
                LockSupport.parkNanos(50_000);
                continue;
            }
            for (long n = Math.min(due - sent, 4096); n > 0; n--) {
                payload.clear();
                if (ch.write(payload) == PAYLOAD) {
                    sent++;
                }
            }
        }
        return sent;
    }
}
