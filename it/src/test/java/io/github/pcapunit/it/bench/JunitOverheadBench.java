package io.github.pcapunit.it.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.core.pcapng.PcapReader;
import io.github.pcapunit.junit.CaptureTraffic;
import io.github.pcapunit.junit.Keep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Added time per test of {@code @CaptureTraffic} against spawning {@code tcpdump -w} per test and
 * stopping it. Four suites of {@value #TESTS} short tests (each sends {@value #DATAGRAMS} UDP
 * datagrams to loopback and returns at once, so the last ones are the "tail"), run one after the
 * other through the JUnit Platform Launcher in this JVM, several rounds, median per suite:
 * <ul>
 * <li>plain: no capture;</li>
 * <li>pcapunit: {@code @CaptureTraffic} with the default keep (ON_FAILURE: all pass, all deleted);</li>
 * <li>pcapunit-kept: {@code keep = ALWAYS}; every file is then read back to count the tail;</li>
 * <li>pcapunit-evidence-off: as pcapunit with {@code kernelEvidence = OFF}, the engine's share of it;</li>
 * <li>tcpdump: an extension that starts {@code tcpdump -i lo -w <file>} before each test, waits
 * for "listening on", and stops it (SIGTERM, wait for exit) after; every file read back.</li>
 * </ul>
 * Suites run in rotating order per round; the table shows the medians and the median of each
 * round's difference to plain (robust to a load that drifts between rounds); ten kept files per
 * round are counted by tshark too. Suite time divided by {@value #TESTS} includes what a run pays
 * once (the shared capture's start, its kernel evidence sidecars, its close); the last column is
 * the median of the tests' own durations (JUnit's executionStarted to executionFinished, which
 * spans the extension's before/after callbacks) over all rounds, minus plain's: what a typical test
 * pays. Run by scripts/bench-junit.sh; results in BENCHMARKS.md
 * "JUnit extension".
 */
public final class JunitOverheadBench {

    static final int TESTS = 200;
    static final int DATAGRAMS = 20;
    static final int PORT = 28991;
    static volatile Path output;

    private JunitOverheadBench() {
    }

    /** Arguments: rounds (default 3), output directory (default target-bench/junit-overhead). */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        output = Path.of(args.length > 1 ? args[1] : "target-bench/junit-overhead").toAbsolutePath();
        List<Class<?>> suites = List.of(PlainSuite.class, PcapunitSuite.class, PcapunitKeptSuite.class,
                TcpdumpSuite.class, PcapunitNoEvidenceSuite.class);
        String[] names = {"plain", "pcapunit", "pcapunit-kept", "tcpdump", "pcapunit-evidence-off"};
        long[][] millis = new long[suites.size()][rounds];
        long[][] complete = new long[suites.size()][rounds];
        List<List<Long>> testNanos = new ArrayList<>();
        suites.forEach(x -> testNanos.add(new ArrayList<>()));
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        run(PlainSuite.class);   // warm-up: class loading, JIT
        run(PcapunitSuite.class);
        run(PcapunitKeptSuite.class);
        for (int r = 0; r < rounds; r++) {
            // rotating order: a load that drifts during a round does not always hit the same suite
            for (int k = 0; k < suites.size(); k++) {
                int s = (k + r) % suites.size();
                deleteTree(output);
                Files.createDirectories(output);
                long t0 = System.nanoTime();
                testNanos.get(s).addAll(run(suites.get(s)));
                millis[s][r] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                complete[s][r] = completeFiles(output, s == 2 ? 10 : 0);
            }
        }
        System.out.printf("# %s; load before %s, after %s%n", machine(), loadBefore,
                Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.printf("%d tests x %d datagrams each; %d rounds (suites in rotating order); median suite time%n",
                TESTS, DATAGRAMS, rounds);
        System.out.println("| suite | suite time (ms, median) | all rounds (ms) | added per test vs plain (ms, "
                + "medians) | added per test, median of per-round differences (ms) | files with all " + DATAGRAMS
                + " datagrams (per round) | median test duration minus plain's (ms) |");
        System.out.println("| --- | ---: | --- | ---: | ---: | --- | ---: |");
        double plainTest = medianNanos(testNanos.get(0));
        long plain = median(millis[0]);
        for (int s = 0; s < suites.size(); s++) {
            long m = median(millis[s]);
            System.out.printf("| %s | %d | %s | %.2f | %.2f | %s | %.3f |%n", names[s], m, Arrays.toString(millis[s]),
                    (m - plain) / (double) TESTS, pairedPerTest(millis[s], millis[0]),
                    s == 2 || s == 3 ? Arrays.toString(complete[s]) + " of " + TESTS : "n/a",
                    (medianNanos(testNanos.get(s)) - plainTest) / 1e6);
        }
        double pcapunit = (median(millis[1]) - plain) / (double) TESTS;
        double tcpdump = (median(millis[3]) - plain) / (double) TESTS;
        System.out.printf("pcapunit (keep nothing) added per test: %.2f ms from medians, %.2f ms paired (target <= 1)%n",
                pcapunit, pairedPerTest(millis[1], millis[0]));
        System.out.printf("ratio pcapunit/tcpdump added time per test: %.3f (target <= 0.03)%n", pcapunit / tcpdump);
        System.out.printf("ratio pcapunit-kept/tcpdump added time per test: %.3f%n",
                (median(millis[2]) - plain) / (double) TESTS / tcpdump);
        System.out.printf("pcapunit with kernelEvidence = OFF (keep nothing) added per test: %.2f ms from medians, "
                + "%.2f ms paired: the rest of the default row is the kernel evidence sidecars%n",
                (median(millis[4]) - plain) / (double) TESTS, pairedPerTest(millis[4], millis[0]));
        System.out.printf("pcapunit (keep nothing) median test duration minus plain's: %.3f ms (target <= 1; "
                + "one-off start and close excluded), evidence OFF %.3f ms%n",
                (medianNanos(testNanos.get(1)) - plainTest) / 1e6, (medianNanos(testNanos.get(4)) - plainTest) / 1e6);
    }

    private static double medianNanos(List<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    /** Median over rounds of (suite - plain) / tests: each round's suites ran minutes apart at most. */
    private static double pairedPerTest(long[] suite, long[] plain) {
        long[] d = new long[suite.length];
        for (int r = 0; r < d.length; r++) {
            d[r] = suite[r] - plain[r];
        }
        return median(d) / (double) TESTS;
    }

    private static String machine() throws IOException {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse("?");
        return model + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version();
    }

    /** Runs the suite; returns each test's duration in nanoseconds (callbacks included). */
    private static List<Long> run(Class<?> suite) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(suite))
                .configurationParameter("pcapunit.output.directory", output.toString())
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        TestDurations durations = new TestDurations();
        launcher.execute(request, listener, durations);
        TestExecutionSummary summary = listener.getSummary();
        if (summary.getTestsSucceededCount() != TESTS || summary.getTotalFailureCount() != 0) {
            summary.getFailures().forEach(f -> f.getException().printStackTrace());
            throw new IllegalStateException(suite.getSimpleName() + ": " + summary.getTestsSucceededCount()
                    + " of " + TESTS + " tests passed");
        }
        return durations.nanos;
    }

    /** Each test's executionStarted to executionFinished, which spans its extensions' callbacks. */
    private static final class TestDurations implements TestExecutionListener {
        final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Long> started = new ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                started.put(id.getUniqueId(), System.nanoTime());
            }
        }

        @Override
        public void executionFinished(TestIdentifier id,
                TestExecutionResult result) {
            Long t0 = started.remove(id.getUniqueId());
            if (id.isTest() && t0 != null) {
                nanos.add(System.nanoTime() - t0);
            }
        }
    }

    /**
     * Files (pcap or pcapng) under {@code dir} holding all {@value #DATAGRAMS} datagrams; prints
     * the others. The first {@code refereed} files are counted by tshark too, which must agree.
     */
    private static long completeFiles(Path dir, int refereed) throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.walk(dir)) {
            all = files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".pcap")
                    || p.toString().endsWith(".pcapng")).sorted().collect(java.util.stream.Collectors.toList());
        }
        long complete = 0;
        long packets = 0;
        int checked = 0;
        for (Path p : all) {
            long n = countPackets(p);
            if (checked < refereed) {
                checked++;
                long t = tsharkCount(p);
                if (t != n) {
                    throw new IllegalStateException("tshark counts " + t + " packets in " + p + ", pcapunit " + n);
                }
            }
            packets += n;
            if (n == DATAGRAMS) {
                complete++;
            } else if (Boolean.getBoolean("bench.verbose")) {
                System.out.println("incomplete: " + p.getFileName() + " " + n + " of " + DATAGRAMS);
            }
        }
        if (!all.isEmpty()) {
            System.out.printf("  %d files, %d of %d datagrams captured%s%n", all.size(), packets,
                    (long) TESTS * DATAGRAMS, checked > 0 ? "; tshark agrees on " + checked + " files" : "");
        }
        return complete;
    }

    /** UDP packets tshark reads in {@code file}. */
    private static long tsharkCount(Path file) throws IOException {
        // udp only: tshark shows the journal entries (the test's marks) as frames too
        Process p = new ProcessBuilder("tshark", "-r", file.toString(), "-Y", "udp", "-T", "fields", "-e", "frame.number")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            lines = r.lines().filter(l -> !l.isBlank()).count();
        }
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("tshark -r " + file + " exited with " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for tshark", e);
        }
        return lines;
    }

    private static long countPackets(Path file) {
        long n = 0;
        try (PcapReader reader = PcapReader.open(file)) {
            while (reader.nextPacket()) {
                n++;
            }
        }
        return n;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    static void shortTest() {
        try (DatagramSocket socket = new DatagramSocket()) {
            byte[] payload = "pcapunit-bench".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < DATAGRAMS; i++) {
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), PORT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No capture. */
    public static class PlainSuite {
        @RepeatedTest(TESTS)
        void shortTest() {
            JunitOverheadBench.shortTest();
        }
    }

    /** pcapunit, default keep (files of passed tests deleted). */
    @CaptureTraffic(filter = "udp port " + PORT, interfaces = "lo")
    public static class PcapunitSuite {
        @RepeatedTest(TESTS)
        void shortTest() {
            JunitOverheadBench.shortTest();
        }
    }

    /** pcapunit, every file kept, to count the tail. */
    @CaptureTraffic(filter = "udp port " + PORT, interfaces = "lo", keep = Keep.ALWAYS)
    public static class PcapunitKeptSuite {
        @RepeatedTest(TESTS)
        void shortTest() {
            JunitOverheadBench.shortTest();
        }
    }

    /** pcapunit, default keep, without kernel evidence: the capture engine's own share. */
    @CaptureTraffic(filter = "udp port " + PORT, interfaces = "lo", kernelEvidence = KernelEvidence.OFF)
    public static class PcapunitNoEvidenceSuite {
        @RepeatedTest(TESTS)
        void shortTest() {
            JunitOverheadBench.shortTest();
        }
    }

    /** tcpdump spawned and stopped around each test. */
    @ExtendWith(TcpdumpPerTest.class)
    public static class TcpdumpSuite {
        @RepeatedTest(TESTS)
        void shortTest() {
            JunitOverheadBench.shortTest();
        }
    }

    /** What a user without pcapunit would write: tcpdump -w per test, stopped after it. */
    static final class TcpdumpPerTest implements BeforeEachCallback, AfterEachCallback {
        private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TcpdumpPerTest.class);

        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            Path file = output.resolve("tcpdump-" + context.getUniqueId().hashCode() + ".pcap");
            List<String> command = new ArrayList<>(List.of("tcpdump", "-i", "lo", "-n", "-U", "-w", file.toString(),
                    "udp port " + PORT));
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = err.readLine()) != null && !line.contains("listening on")) {
                // tcpdump says "listening on lo ..." once its capture is active
            }
            context.getStore(NS).put("process", p);
            context.getStore(NS).put("stderr", err);
        }

        @Override
        public void afterEach(ExtensionContext context) throws Exception {
            Process p = context.getStore(NS).remove("process", Process.class);
            p.destroy();   // SIGTERM: tcpdump flushes and exits
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            context.getStore(NS).remove("stderr", BufferedReader.class).close();
        }
    }
}
