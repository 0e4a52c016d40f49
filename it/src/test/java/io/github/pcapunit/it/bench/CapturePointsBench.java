package io.github.pcapunit.it.bench;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CapturePoint;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.testing.ConnectResult;
import io.github.pcapunit.testing.Host;
import io.github.pcapunit.testing.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per-test cost of a capture with one capture point against two (issue 16 target: two points
 * ≤ 2× one point). A client and a server namespace joined by a veth; each "test" is one TCP
 * exchange (connect, a line each way, close, from a python client in the client namespace), run
 * without capture, captured at the server point, and captured at both points, plus the capture
 * alone (start, stop, pcapng written) at one and at two points. The variants alternate within each
 * round, in a rotating order, so all see the same machine; warm-up rounds first. Prints one line
 * per round and per variant the median, minimum and maximum, then the added time per test (median
 * of the captured exchange minus median of the plain one) and the ratios two / one.
 *
 * <pre>{@code
 * scripts/bench-points.sh 15 3     # 15 rounds after 3 warm-up rounds
 * }</pre>
 *
 * Needs root (namespaces, capture). Results in BENCHMARKS.md "Capture points".
 */
public final class CapturePointsBench {

    private static final int PORT = 5432;

    enum Variant {
        PLAIN("exchange, no capture"),
        ONE("exchange, captured at 1 point"),
        TWO("exchange, captured at 2 points"),
        ONE_EMPTY("capture only, 1 point"),
        TWO_EMPTY("capture only, 2 points");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    private CapturePointsBench() {
    }

    /** Arguments: rounds (default 15), warm-up rounds (default 3), output directory (default a temporary one). */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = args.length > 2 ? Files.createDirectories(Path.of(args[2])) : Files.createTempDirectory("pcapunit-points-");
        NetLab.unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("cannot run: " + r);
        });
        try (NetLab lab = NetLab.create()) {
            Host client = lab.host("client", "10.200.39.10");
            Host server = lab.host("server", "10.200.39.20");
            lab.link(client, server);
            server.tcpEchoServer(PORT);
            CaptureSpec one = CaptureSpec.builder().point(CapturePoint.namespace(server.namespace()).named("server"))
                    .filter("tcp port " + PORT).kernelEvidence(KernelEvidence.OFF).output(dir.resolve("one.pcapng")).build();
            CaptureSpec two = one.toBuilder().output(dir.resolve("two.pcapng"))
                    .point(CapturePoint.namespace(client.namespace()).named("client")).build();
            Map<Variant, long[]> times = new EnumMap<>(Variant.class);
            for (Variant v : Variant.values()) {
                times.put(v, new long[rounds]);
            }
            Variant[] all = Variant.values();
            for (int round = -warmups; round < rounds; round++) {
                StringBuilder line = new StringBuilder(round < 0 ? "warm-up" : "round " + (round + 1)).append(':');
                for (int k = 0; k < all.length; k++) {
                    Variant v = all[Math.floorMod(round + k, all.length)];
                    long took = switch (v) {
                        case PLAIN -> exchange(null, client, server);
                        case ONE -> exchange(one, client, server);
                        case TWO -> exchange(two, client, server);
                        case ONE_EMPTY -> exchange(one, null, server);
                        case TWO_EMPTY -> exchange(two, null, server);
                    };
                    if (round >= 0) {
                        times.get(v)[round] = took;
                    }
                    line.append(String.format(Locale.ROOT, " %s %.1f ms;", v.name().toLowerCase(Locale.ROOT), took / 1e6));
                }
                System.out.println(line);
            }
            for (Variant v : all) {
                long[] t = times.get(v);
                System.out.printf(Locale.ROOT, "%-32s median %7.1f ms  min %7.1f  max %7.1f%n", v.label, median(t) / 1e6,
                        Arrays.stream(t).min().getAsLong() / 1e6, Arrays.stream(t).max().getAsLong() / 1e6);
            }
            long plain = median(times.get(Variant.PLAIN));
            long added1 = median(times.get(Variant.ONE)) - plain;
            long added2 = median(times.get(Variant.TWO)) - plain;
            System.out.printf(Locale.ROOT, "added per test: 1 point %.1f ms, 2 points %.1f ms, ratio %.2f (target <= 2)%n",
                    added1 / 1e6, added2 / 1e6, (double) added2 / added1);
            long empty1 = median(times.get(Variant.ONE_EMPTY));
            long empty2 = median(times.get(Variant.TWO_EMPTY));
            System.out.printf(Locale.ROOT, "capture only: 1 point %.1f ms, 2 points %.1f ms, ratio %.2f%n",
                    empty1 / 1e6, empty2 / 1e6, (double) empty2 / empty1);
        }
    }

    /** Wall time of one exchange (none when {@code client} is null) inside a capture of {@code spec} (none when null). */
    private static long exchange(CaptureSpec spec, Host client, Host server) {
        long start = System.nanoTime();
        Capture capture = spec == null ? null : Capture.start(spec);
        try {
            if (client != null) {
                ConnectResult r = client.connectTcp(server.address(), PORT, Duration.ofSeconds(3));
                if (r.outcome() != ConnectResult.Outcome.CONNECTED) {
                    throw new IllegalStateException("the exchange failed: " + r);
                }
            }
            if (capture != null) {
                capture.stop();
            }
        } finally {
            if (capture != null) {
                capture.close();
            }
        }
        return System.nanoTime() - start;
    }

    private static long median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
