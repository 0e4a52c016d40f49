package io.github.pcapunit.core;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurement, not a test (no *Test suffix, run with -Dtest=CapturePointsOverheadProbe): the
 * per-test cost of a capture (start, stop and conversion; alone and around one TCP exchange from a
 * python client) with one capture point and with two, median of 15 after 3 warm-ups each. Prints
 * the numbers for BENCHMARKS.md.
 */
class CapturePointsOverheadProbe {

    @TempDir
    Path dir;

    @Test
    void onePointVersusTwo() throws Exception {
        NetLab.assumeAvailable();
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.37.10");
            Host server = lab.host("server", "10.200.37.20");
            lab.link(client, server);
            server.tcpEchoServer(5432);
            CaptureSpec one = CaptureSpec.builder().point(CapturePoint.namespace(server.namespace()).named("server"))
                    .filter("tcp port 5432").kernelEvidence(KernelEvidence.OFF).output(dir.resolve("one.pcapng")).build();
            CaptureSpec two = one.toBuilder().output(dir.resolve("two.pcapng"))
                    .point(CapturePoint.namespace(client.namespace()).named("client")).build();
            long[] t1 = measure(one, client, server);
            long[] t2 = measure(two, client, server);
            long m1 = median(t1);
            long m2 = median(t2);
            long e1 = median(measure(one, null, server));
            long e2 = median(measure(two, null, server));
            System.out.printf("capture points, start+stop only: one point median %.1f ms, two points %.1f ms, ratio"
                    + " %.2f%n", e1 / 1e6, e2 / 1e6, (double) e2 / e1);
            System.out.printf("capture points, with one TCP exchange: one point median %.1f ms (min %.1f), two points median %.1f ms"
                    + " (min %.1f), ratio %.2f%n", m1 / 1e6, Arrays.stream(t1).min().getAsLong() / 1e6, m2 / 1e6,
                    Arrays.stream(t2).min().getAsLong() / 1e6, (double) m2 / m1);
        }
    }

    private static long[] measure(CaptureSpec spec, Host client, Host server) throws Exception {
        long[] t = new long[15];
        for (int i = -3; i < t.length; i++) {
            long start = System.nanoTime();
            try (Capture c = Capture.start(spec)) {
                if (client != null) {
                    client.connectTcp(server.address(), 5432, Duration.ofSeconds(2));
                }
                c.stop();
            }
            long took = System.nanoTime() - start;
            if (i >= 0) {
                t[i] = took;
            }
        }
        return t;
    }

    private static long median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
