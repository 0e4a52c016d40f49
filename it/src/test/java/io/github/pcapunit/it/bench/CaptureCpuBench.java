package io.github.pcapunit.it.bench;

import io.github.pcapunit.core.capture.CaptureSpec;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Capture CPU per packet and loss of pcapunit against {@code tcpdump -w}, on the same loopback
 * UDP flood, rate after rate, the two tools one at a time in alternating order, several rounds
 * (issue 15's third target: ≤ 1.0× tcpdump's CPU per packet, no loss where tcpdump loses none).
 *
 * <pre>{@code
 * scripts/bench-cpu.sh 1000,10000,50000,100000,200000,400000,0 2 3 2   # rates (0 = unpaced), s/run, rounds, senders
 * scripts/bench-cpu.sh 50000,100000,0 2 3 4 2048            # ... and a 2 MiB kernel buffer for both tools
 * scripts/bench-cpu.sh 1000,10000 2 3 2 32768 1000          # ... and pcapunit's spec read timeout 1 s
 * }</pre>
 *
 * <p>The flood: {@code senders} processes ({@link CpuFloodSender}, each paced at rate/senders)
 * send 100-byte datagrams to a loopback port whose socket nobody reads (the kernel drops them
 * at the socket, after every capture point, at the senders' cost). Started once, warmed up, then
 * told GO for each run.
 *
 * <p>The capturers, one at a time, with the same filter ({@code udp dst port P}), snaplen 262,144
 * and 32 MiB kernel buffer: {@code tcpdump -i lo -n -s 262144 -B 32768 -w FILE}, a process per
 * run; and one JVM ({@link CpuBenchCapturer}) that runs {@code Capture.start(spec)} /
 * {@code stop()} per run with the library's defaults and kernel evidence off.
 *
 * <p>CPU: the capturing process's CPU time summed over its threads from
 * {@code /proc/PID/task/TID/schedstat} (nanoseconds), over a window from GO to 1.2 s after the
 * last sender finished (tcpdump's 1 s read timeout hands over its last partial block). For the
 * JVM an idle baseline is subtracted: the same JVM's CPU over 1 s with no capture running, just
 * before the run, scaled to the window; that removes only what any JVM does (GC and compiler
 * threads, safepoints), while everything pcapunit does for the capture (loop thread, its
 * wake-ups, flushes and checks) is counted. The capture loop thread alone ({@code pcapunit-capture-lo}) is
 * shown too. Per packet = CPU / packets in the file. The pcap → pcapng conversion in
 * {@code stop()} is shown apart (tcpdump does no such work).
 *
 * <p>Loss: datagrams sent minus packets in the file (capinfos), and what each tool's pcap_stats
 * say (ps_drop, ps_ifdrop; tcpdump's count both copies a loopback packet puts in the ring,
 * pcapunit halves them). Packets the kernel dropped before any capture could see them
 * ({@code /proc/net/softnet_stat} backlog drops) are shown per run.
 */
public final class CaptureCpuBench {

    private static final int DRAIN_MILLIS = 1200;
    private static final int IDLE_MILLIS = 1000;
    private static final List<String> TOOLS = List.of("tcpdump", "pcapunit");
    private static final Pattern TCPDUMP_DROPPED = Pattern.compile("(\\d+) packets? dropped by kernel");
    private static final Pattern TCPDUMP_IFDROPPED = Pattern.compile("(\\d+) packets? dropped by interface");
    private static final Pattern CAPINFOS_COUNT = Pattern.compile("Number of packets:\\s*(\\d+)");

    private CaptureCpuBench() {
    }

    /** One capture run: what was sent, what the file holds, what the tool said, what it cost. */
    private static final class Run {
        final String tool;
        final int round;
        final long rate;
        long sent;
        long sendNanos;
        long inFile;
        long psDrop;
        long psIfDrop;
        long backlogDrops;
        long windowNanos;
        long cpuNanos;
        long idleNanos;
        long loopNanos;
        long stopCpuNanos = -1;
        /** The JVM's threads other than the loop that used CPU in the window, e.g. "C2 CompilerThre 3.1". */
        final List<String> others = new ArrayList<>();

        Run(String tool, int round, long rate) {
            this.tool = tool;
            this.round = round;
            this.rate = rate;
        }

        long lost() {
            return sent - inFile;
        }

        double nsPerPacket() {
            return inFile == 0 ? Double.NaN : (double) (cpuNanos - idleNanos) / inFile;
        }

        double loopNsPerPacket() {
            return inFile == 0 ? Double.NaN : (double) loopNanos / inFile;
        }
    }

    /**
     * Arguments: rates (comma-separated datagrams/s over all senders, 0 = unpaced; default
     * 1000,10000,50000,100000,200000,400000,0), seconds per run (default 2), rounds (default 3), sender
     * processes (default 2), kernel buffer in KiB for both tools (default 32768, pcapunit's
     * default), pcapunit's {@code CaptureSpec.readTimeout} in ms (default 10, the library's
     * default; on lo with the default snaplen the engine's kernel read timeout is 1000 ms either
     * way, as tcpdump's, and the spec's timeout only bounds a slice end's wait), output directory
     * (default a temporary one).
     */
    public static void main(String[] args) throws Exception {
        long[] rates = Arrays.stream((args.length > 0 ? args[0] : "1000,10000,50000,100000,200000,400000,0").split(","))
                .mapToLong(s -> Long.parseLong(s.strip())).toArray();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int senderCount = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int bufferKib = args.length > 4 ? Integer.parseInt(args[4]) : CaptureSpec.DEFAULT_BUFFER_SIZE / 1024;
        long timeoutMillis = args.length > 5 ? Long.parseLong(args[5]) : CaptureSpec.DEFAULT_READ_TIMEOUT.toMillis();
        Path dir = args.length > 6 ? Files.createDirectories(Path.of(args[6])) : Files.createTempDirectory("pcapunit-cpu-");
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramChannel sink = unreadSink(lo); DatagramChannel warmSink = unreadSink(lo)) {
            int port = ((InetSocketAddress) sink.getLocalAddress()).getPort();
            int warmPort = ((InetSocketAddress) warmSink.getLocalAddress()).getPort();
            List<Child> senders = new ArrayList<>();
            Child capturer = null;
            try {
                for (int i = 0; i < senderCount; i++) {
                    senders.add(Child.java(CpuFloodSender.class, Integer.toString(port), Integer.toString(warmPort)));
                }
                for (Child s : senders) {
                    s.expect("READY");
                }
                capturer = Child.java(CpuBenchCapturer.class);
                System.out.println("# capturer JVM options: " + System.getProperty("bench.capturerOpts", "(none)"));
                warmUp(capturer, dir);
                System.out.printf(Locale.ROOT, "# %d sender processes, %.1f s per run, %d rounds, flood to 127.0.0.1:%d, "
                        + "filter \"udp dst port %d\", kernel buffer %d KiB, pcapunit spec read timeout %d ms (kernel timeout on lo "
                        + "1000 ms for both tools), "
                        + "files in %s%n", senderCount, seconds, rounds, port, port, bufferKib, timeoutMillis, dir);
                System.out.println("round rate/s   tool      sent      achieved/s  in-file   lost     ps_drop  ps_ifdrop "
                        + "backlog-drop cpu-ms  idle-ms loop-ms ns/pkt  loop-ns/pkt stop-cpu-ms");
                List<Run> runs = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    System.out.println("# round " + round + ", load " + loadAverage());
                    for (int i = 0; i < rates.length; i++) {
                        boolean tcpdumpFirst = (round + i) % 2 == 1;
                        for (int t = 0; t < 2; t++) {
                            String tool = TOOLS.get(tcpdumpFirst ? t : 1 - t);
                            Run run = new Run(tool, round, rates[i]);
                            Path file = dir.resolve(String.format(Locale.ROOT, "r%d-%d-%s.%s", round, rates[i], tool,
                                    tool.equals("tcpdump") ? "pcap" : "pcapng"));
                            String filter = "udp dst port " + port;
                            if (tool.equals("tcpdump")) {
                                runTcpdump(run, bufferKib, file, filter, senders, seconds);
                            } else {
                                runPcapunit(run, capturer, bufferKib + " " + timeoutMillis, file, filter, senders, seconds);
                            }
                            run.inFile = countPackets(file);
                            Files.deleteIfExists(file);
                            print(run, seconds);
                            runs.add(run);
                        }
                    }
                }
                System.out.println("# after, load " + loadAverage());
                summary(runs, rates, seconds);
            } finally {
                for (Child s : senders) {
                    s.close();
                }
                if (capturer != null) {
                    capturer.close();
                }
            }
        }
    }

    /** A bound UDP socket nobody reads: the kernel drops what arrives once its small buffer is full. */
    private static DatagramChannel unreadSink(InetAddress lo) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        ch.bind(new InetSocketAddress(lo, 0));
        return ch;
    }

    /** A few empty captures, so the capture path is loaded and compiled before the first run. */
    private static void warmUp(Child capturer, Path dir) throws IOException {
        for (int i = 0; i < 3; i++) {
            Path f = dir.resolve("warm-up.pcapng");
            capturer.send("START 1024 10 " + f + " udp dst port 1");
            capturer.expect("READY");
            capturer.send("STOP");
            capturer.expect("RESULT");
            Files.deleteIfExists(f);
        }
    }

    private static void runTcpdump(Run run, int bufferKib, Path file, String filter, List<Child> senders,
            double seconds) throws IOException, InterruptedException {
        Child tcpdump = Child.start(List.of("tcpdump", "-i", "lo", "-n", "-s", Integer.toString(CaptureSpec.DEFAULT_SNAPLEN),
                "-B", Integer.toString(bufferKib), "-w", file.toString(), filter));
        tcpdump.expect("listening on");
        flood(run, tcpdump.pid(), senders, seconds, 0);
        new ProcessBuilder("kill", "-INT", Long.toString(tcpdump.pid())).start().waitFor();
        String log = tcpdump.rest();
        tcpdump.process.waitFor(10, TimeUnit.SECONDS);
        run.psDrop = group(TCPDUMP_DROPPED, log, -1);
        run.psIfDrop = group(TCPDUMP_IFDROPPED, log, 0);
    }

    private static void runPcapunit(Run run, Child capturer, String bufferAndTimeout, Path file, String filter,
            List<Child> senders, double seconds) throws IOException, InterruptedException {
        Thread.sleep(300); // the previous run's pcap_close and garbage settle first
        long idle0 = ProcCpu.process(capturer.pid());
        long t0 = System.nanoTime();
        Thread.sleep(IDLE_MILLIS);
        double idlePerNano = (double) (ProcCpu.process(capturer.pid()) - idle0) / (System.nanoTime() - t0);
        capturer.send("START " + bufferAndTimeout + " " + file + " " + filter);
        capturer.expect("READY");
        flood(run, capturer.pid(), senders, seconds, idlePerNano);
        capturer.send("STOP");
        String[] r = capturer.expect("RESULT").split(" ");
        run.psDrop = Long.parseLong(r[2]);
        run.psIfDrop = Long.parseLong(r[3]);
        run.stopCpuNanos = Long.parseLong(r[5]);
    }

    /** Floods from every sender at once and measures the capturer {@code pid} over the window. */
    private static void flood(Run run, long pid, List<Child> senders, double seconds, double idlePerNano)
            throws IOException, InterruptedException {
        long backlog0 = backlogDrops();
        Map<String, Long> cpu0 = ProcCpu.threads(pid);
        long t0 = System.nanoTime();
        long perSender = run.rate / senders.size();
        for (Child s : senders) {
            s.send("GO " + perSender + " " + seconds);
        }
        for (Child s : senders) {
            String[] f = s.expect("SENT").split(" ");
            run.sent += Long.parseLong(f[1]);
            run.sendNanos = Math.max(run.sendNanos, Long.parseLong(f[2]));
        }
        Thread.sleep(DRAIN_MILLIS);
        Map<String, Long> cpu1 = ProcCpu.threads(pid);
        run.windowNanos = System.nanoTime() - t0;
        run.backlogDrops = backlogDrops() - backlog0;
        for (Map.Entry<String, Long> e : cpu1.entrySet()) {
            long d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0L);
            run.cpuNanos += d;
            if (run.tool.equals("tcpdump") || e.getKey().contains("pcapunit-captur")) {
                run.loopNanos += d;
            } else if (d >= 500_000) {
                run.others.add(String.format(Locale.ROOT, "%s %.1f", e.getKey().substring(e.getKey().indexOf(' ') + 1),
                        d / 1e6));
            }
        }
        run.idleNanos = (long) (idlePerNano * run.windowNanos);
    }

    private static void print(Run r, double seconds) {
        System.out.printf(Locale.ROOT, "%-5d %-8s %-9s %-9d %-11.0f %-9d %-8d %-8d %-9d %-12d %-7.1f %-8.1f %-7.1f "
                + "%-7.0f %-11.0f %s%n", r.round, rateLabel(r.rate), r.tool, r.sent, r.sent / seconds, r.inFile, r.lost(),
                r.psDrop, r.psIfDrop, r.backlogDrops, r.cpuNanos / 1e6, r.idleNanos / 1e6, r.loopNanos / 1e6,
                r.nsPerPacket(), r.loopNsPerPacket(), r.stopCpuNanos < 0 ? "-" : String.format(Locale.ROOT, "%.0f",
                        r.stopCpuNanos / 1e6));
        if (!r.others.isEmpty()) {
            System.out.println("      other threads (ms): " + String.join(", ", r.others));
        }
    }

    private static void summary(List<Run> runs, long[] rates, double seconds) {
        System.out.println();
        System.out.println("summary per rate (medians over rounds; ratio = median of each round's pcapunit/tcpdump)");
        System.out.println("rate/s   achieved/s(tcpdump pcapunit)  ns/pkt tcpdump  pcapunit  ratio (min-max)     "
                + "loop-only ratio  lost tcpdump  lost pcapunit  backlog-drops");
        Long tcpdumpLossRate = null;
        boolean lossWhereTcpdumpHasNone = false;
        double worstRatio = 0;
        for (long rate : rates) {
            List<Run> t = select(runs, rate, "tcpdump");
            List<Run> p = select(runs, rate, "pcapunit");
            double[] ratios = new double[Math.min(t.size(), p.size())];
            double[] loopRatios = new double[ratios.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = p.get(i).nsPerPacket() / t.get(i).nsPerPacket();
                loopRatios[i] = p.get(i).loopNsPerPacket() / t.get(i).nsPerPacket();
            }
            long lostT = t.stream().mapToLong(Run::lost).sum();
            long lostP = p.stream().mapToLong(Run::lost).sum();
            long backlog = runs.stream().filter(r -> r.rate == rate).mapToLong(r -> r.backlogDrops).sum();
            if (lostT > 0 && tcpdumpLossRate == null) {
                tcpdumpLossRate = rate;
            }
            if (lostT == 0 && lostP > 0) {
                lossWhereTcpdumpHasNone = true;
            }
            double ratio = median(ratios);
            worstRatio = Math.max(worstRatio, ratio);
            System.out.printf(Locale.ROOT, "%-8s %-9.0f %-19.0f %-15.0f %-9.0f %.2f (%.2f-%.2f)    %-16.2f %-13d %-14d %d%n",
                    rateLabel(rate), median(t.stream().mapToDouble(r -> r.sent / seconds).toArray()),
                    median(p.stream().mapToDouble(r -> r.sent / seconds).toArray()),
                    median(t.stream().mapToDouble(Run::nsPerPacket).toArray()),
                    median(p.stream().mapToDouble(Run::nsPerPacket).toArray()), ratio,
                    Arrays.stream(ratios).min().orElse(Double.NaN), Arrays.stream(ratios).max().orElse(Double.NaN),
                    median(loopRatios), lostT, lostP, backlog);
        }
        System.out.printf(Locale.ROOT, "# worst median ratio %.2f (target <= 1.00); tcpdump first lost packets at %s; "
                + "pcapunit lost packets at a rate where tcpdump lost none: %s%n", worstRatio,
                tcpdumpLossRate == null ? "no rate tried" : rateLabel(tcpdumpLossRate) + "/s",
                lossWhereTcpdumpHasNone ? "YES" : "no");
    }

    private static List<Run> select(List<Run> runs, long rate, String tool) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            if (r.rate == rate && r.tool.equals(tool)) {
                out.add(r);
            }
        }
        out.sort((a, b) -> Integer.compare(a.round, b.round));
        return out;
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String rateLabel(long rate) {
        return rate == 0 ? "unpaced" : Long.toString(rate);
    }

    /** Packets in a pcap or pcapng file, counted by capinfos. */
    private static long countPackets(Path file) throws IOException, InterruptedException {
        if (!Files.exists(file)) {
            return 0;
        }
        Process p = new ProcessBuilder("capinfos", "-c", "-M", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        long n = group(CAPINFOS_COUNT, out, -1);
        if (n < 0) {
            throw new IllegalStateException("capinfos could not count " + file + ": " + out);
        }
        return n;
    }

    /** Packets the kernel dropped from its per-CPU input backlogs (second column of softnet_stat). */
    private static long backlogDrops() throws IOException {
        long total = 0;
        for (String line : Files.readAllLines(Path.of("/proc/net/softnet_stat"))) {
            total += Long.parseLong(line.strip().split("\\s+")[1], 16);
        }
        return total;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private static long group(Pattern p, String text, long otherwise) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : otherwise;
    }

    /** CPU time of a process's threads from {@code /proc/PID/task/TID/schedstat} (nanoseconds). */
    static final class ProcCpu {
        private ProcCpu() {
        }

        /** CPU nanoseconds per thread, keyed {@code "TID comm"}. */
        static Map<String, Long> threads(long pid) throws IOException {
            Map<String, Long> out = new LinkedHashMap<>();
            try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        long ns = Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
                        out.put(t.getFileName() + " " + Files.readString(t.resolve("comm")).strip(), ns);
                    } catch (IOException e) {
                        // the thread ended between listing and reading
                    }
                }
            }
            return out;
        }

        static long process(long pid) throws IOException {
            return threads(pid).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A child process spoken to by lines on stdin and stdout. */
    static final class Child implements AutoCloseable {
        final Process process;
        private final BufferedReader out;
        private final BufferedWriter in;

        private Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        }

        static Child start(List<String> command) throws IOException {
            return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        /** A JVM running {@code main} of {@code type} on this JVM's class path. */
        static Child java(Class<?> type, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (Runtime.version().feature() >= 22) {
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.add("-Xmx256m");
            String opts = System.getProperty("bench.capturerOpts", "");
            if (type == CpuBenchCapturer.class && !opts.isBlank()) {
                cmd.addAll(List.of(opts.strip().split("\\s+"))); // e.g. diagnostics: -XX:+PrintCompilation
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), type.getName()));
            cmd.addAll(List.of(args));
            return start(cmd);
        }

        long pid() {
            return process.pid();
        }

        void send(String line) throws IOException {
            in.write(line);
            in.newLine();
            in.flush();
        }

        /** Reads lines until one contains {@code marker}; returns it. */
        String expect(String marker) throws IOException {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                if (line.contains(marker)) {
                    return line;
                }
                seen.append(line).append('\n');
            }
            throw new IllegalStateException("child " + process.pid() + " ended before saying \"" + marker + "\": " + seen);
        }

        /** Everything the child still says until it exits. */
        String rest() throws IOException {
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
            }
            return seen.toString();
        }

        @Override
        public void close() throws IOException {
            try {
                if (process.isAlive()) {
                    send("QUIT");
                }
            } catch (IOException e) {
                // it ended meanwhile
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
