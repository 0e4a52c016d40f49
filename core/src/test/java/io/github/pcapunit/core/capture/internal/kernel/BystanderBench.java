package io.github.pcapunit.core.capture.internal.kernel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Bench (root): the cost of a bystander's drop flood to the JVM's shared bpftrace while a capture
 * watches another namespace. Two namespaces of their own ({@code pcapunit-kfb-watched},
 * {@code pcapunit-kfb-bystander}, loopback only); a subscription that watches the first; a
 * Python sender in the second floods 127.0.0.1:9 (nothing listens: one NO_SOCKET kfree_skb per
 * datagram) for a fixed time. Per round it starts a fresh bpftrace with either the program
 * without the kernel namespace filter ({@code java}: every drop printed, the Java filter drops
 * them, as before) or with it ({@code kernel}), waits for it to attach, and measures over the
 * flood: bpftrace's CPU (/proc/pid/stat), the reader thread's CPU, records read, datagrams sent.
 *
 * <pre>
 * java -cp ... io.github.pcapunit.core.capture.internal.kernel.BystanderBench [rounds] [seconds]
 * </pre>
 */
public final class BystanderBench {

    private static final String WATCHED = "pcapunit-kfb-watched";
    private static final String BYSTANDER = "pcapunit-kfb-bystander";

    private BystanderBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path binary = BpfRecorder.binary().orElseThrow();
        DropReasons reasons = DropReasons.parse(Files.readString(Tracefs.root().orElseThrow()
                .resolve("events/skb/kfree_skb/format")));
        BpfProgram.Offsets offsets = BpfProgram.Offsets.read(Btf.read(BpfRecorder.BTF)).orElse(null);
        for (String ns : List.of(WATCHED, BYSTANDER)) {
            sh("ip", "netns", "del", ns).waitFor();
            check(sh("ip", "netns", "add", ns));
            check(sh("ip", "-n", ns, "link", "set", "lo", "up"));
        }
        try {
            long watched = NetnsNames.inode(Path.of("/run/netns", WATCHED));
            System.out.printf("# %d CPUs, load %s, flood %d s per round%n", Runtime.getRuntime().availableProcessors(),
                    Files.readString(Path.of("/proc/loadavg")).strip(), seconds);
            System.out.println("| filter | round | datagrams sent | bpftrace CPU ms | reader thread CPU ms"
                    + " | JVM CPU ms | records read | records lost | (bpftrace + JVM) CPU per flood second |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            for (int round = 0; round <= rounds; round++) {
                for (boolean kernel : new boolean[] {false, true}) {
                    long pid = ProcessHandle.current().pid();
                    BpfProgram program = BpfProgram.of(reasons, offsets, kernel ? pid : 0);
                    NetnsNames names = NetnsNames.system();
                    BpfLines lines = new BpfLines(TraceLines.measureOffset(), reasons::name, names::name, p -> "");
                    BpfRecorder r = BpfRecorder.start(binary, program, lines);
                    BpfSubscription s = r.subscribe(new BpfSubscription.Filter(List.of(), List.of(watched)));
                    try {
                        if (!r.awaitAttached(60_000)) {
                            throw new IllegalStateException("bpftrace did not attach: " + r.failure().orElse("?"));
                        }
                        Thread.sleep(300);
                        long bpfBefore = cpuMillis(r.process().pid());
                        long readerBefore = threadCpuMillis("pcapunit-bpftrace");
                        long jvmBefore = jvmCpuMillis();
                        long readBefore = r.dropsRead();
                        long lostBefore = r.lost();
                        long sent = flood(seconds);
                        r.drain(System.nanoTime());
                        long bpf = cpuMillis(r.process().pid()) - bpfBefore;
                        long reader = threadCpuMillis("pcapunit-bpftrace") - readerBefore;
                        long jvm = jvmCpuMillis() - jvmBefore;
                        if (round > 0) { // round 0 warms up the JIT
                            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %.1f %% |%n",
                                    kernel ? "in kernel (after)" : "in Java (before)", round, sent, bpf, reader, jvm,
                                    r.dropsRead() - readBefore, r.lost() - lostBefore, (bpf + jvm) / (10.0 * seconds));
                        }
                    } finally {
                        s.stop();
                        BpfRecorder.closeIdle();
                        r.process().destroyForcibly();
                        r.process().onExit().get(5, TimeUnit.SECONDS);
                    }
                }
            }
        } finally {
            for (String ns : List.of(WATCHED, BYSTANDER)) {
                sh("ip", "netns", "del", ns).waitFor();
            }
        }
        System.exit(0);
    }

    /** Floods 127.0.0.1:9 in the bystander namespace for {@code seconds}; the datagrams sent. */
    private static long flood(int seconds) throws Exception {
        String script = "import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "end=time.time()+" + seconds + "\nn=0\n"
                + "while time.time()<end:\n  for i in range(100):\n    s.sendto(b'x',('127.0.0.1',9))\n  n+=100\n"
                + "print(n)\n";
        Process p = new ProcessBuilder("ip", "netns", "exec", BYSTANDER, "python3", "-c", script)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return Long.parseLong(out);
    }

    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        return ticks * 10; // USER_HZ 100
    }

    private static long threadCpuMillis(String name) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return sum / 1_000_000;
    }

    private static long jvmCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    private static Process sh(String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static void check(Process p) throws InterruptedException {
        if (p.waitFor() != 0) {
            throw new IllegalStateException("command failed: " + p.info().commandLine().orElse("?"));
        }
    }
}
