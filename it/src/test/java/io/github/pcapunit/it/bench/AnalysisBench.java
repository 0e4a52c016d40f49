package io.github.pcapunit.it.bench;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.IcmpExchange;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.LinkType;
import io.github.pcapunit.core.pcapng.PacketOptions;
import io.github.pcapunit.core.pcapng.PcapngWriter;
import io.github.pcapunit.core.pcapng.SectionHeader;
import io.github.pcapunit.core.analysis.TcpConnection;
import io.github.pcapunit.core.check.TrafficExpectations;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Drop-analysis benchmark (run by {@code scripts/bench-analysis.sh}, recorded in BENCHMARKS.md
 * "Analysis"): writes a pcapng of N Ethernet/IPv4 packets — TCP connections to port 1433 with
 * handshake, data, ACKs and FIN close, 1% with a data retransmission, 0.5% unanswered SYNs sent
 * 3×, 0.5% refused by RST, plus ICMP echo pairs and UDP port-unreachables — then times
 * <ol>
 *   <li>{@code tshark -r FILE -Y "tcp.analysis.retransmission || tcp.flags.reset==1 || icmp.type==3"}
 *       (external process, counting output lines),</li>
 *   <li>in this JVM (run it with {@code -Xmx256m}): {@code CapturedTraffic.read(file)} then the
 *       work the assertions do — drops, drops to 1433, "all connections to 1433 established",
 *       "no connection reset", "all echoes answered", packets to 1433, completeness.</li>
 * </ol>
 * Prints packets/s of both, the ratio, heap after GC, and tshark's line count next to ours.
 *
 * <pre>java -Xmx256m -cp ... io.github.pcapunit.it.bench.AnalysisBench [packets] [runs] [work dir]</pre>
 */
public final class AnalysisBench {

    private AnalysisBench() {
    }

    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "target-bench/analysis"));
        Path file = dir.resolve("analysis-" + packets + ".pcapng");
        try {
            long written = Generator.write(file, packets);
            System.out.printf("input: %s, %,d packets, %,d bytes; max heap %,d MiB%n", file, written, Files.size(file),
                    Runtime.getRuntime().maxMemory() >> 20);

            Path timing = dir.resolve("tshark-time.txt");
            long t = System.nanoTime();
            Process p = new ProcessBuilder("/usr/bin/time", "-f", "%U %S", "-o", timing.toString(), "tshark", "-r",
                    file.toString(), "-Y", "tcp.analysis.retransmission || tcp.flags.reset==1 || icmp.type==3", "-T",
                    "fields", "-e", "frame.number").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long tsharkLines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().count();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("tshark failed");
            }
            long tsharkNs = System.nanoTime() - t;
            String[] cpu = Files.readString(timing).trim().split("\\s+");
            double tsharkCpu = Double.parseDouble(cpu[cpu.length - 2]) + Double.parseDouble(cpu[cpu.length - 1]);
            Files.delete(timing);
            System.out.printf("tshark: wall %.2f s (%,.0f packets/s), CPU %.2f s (%,.0f packets per CPU-s), %,d matching frames%n",
                    tsharkNs / 1e9, written / (tsharkNs / 1e9), tsharkCpu, written / tsharkCpu, tsharkLines);

            // Warm-up: C2 keeps compiling in background threads for ~20 analyses; their CPU is not
            // part of the steady state (measured: process CPU falls from ~300 to ~120 ms per run).
            for (int i = 0; i < 25; i++) {
                analyse(file);
            }
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            List<Long> times = new ArrayList<>();
            List<Long> cpus = new ArrayList<>();
            List<Long> threadCpus = new ArrayList<>();
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] result = null;
            for (int i = 0; i < runs; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = threads.getCurrentThreadCpuTime();
                long s = System.nanoTime();
                result = analyse(file);
                times.add(System.nanoTime() - s);
                threadCpus.add(threads.getCurrentThreadCpuTime() - t0);
                cpus.add(os.getProcessCpuTime() - c0);
            }
            long median = median(times);
            long medianCpu = median(cpus);
            double rate = written / (median / 1e9);
            double cpuRate = written / (medianCpu / 1e9);
            System.out.printf("pcapunit analysis + checks: wall median %.1f ms %s, %,.0f packets/s%n", median / 1e6,
                    msList(times), rate);
            System.out.printf("pcapunit analysis + checks: process CPU (all JVM threads, GC included) median %.1f ms %s,"
                    + " %,.0f packets per CPU-s%n", medianCpu / 1e6, msList(cpus), cpuRate);
            long medianThread = median(threadCpus);
            System.out.printf("pcapunit analysis + checks: analysing thread's CPU (GC and JIT threads excluded) median %.1f ms %s,"
                    + " %,.0f packets per CPU-s, %.0fx tshark%n", medianThread / 1e6, msList(threadCpus),
                    written / (medianThread / 1e9), (written / (medianThread / 1e9)) / (written / tsharkCpu));
            System.out.printf("ratio wall: %.0fx tshark; ratio CPU: %.0fx tshark (target >= 100x)%n",
                    rate / (written / (tsharkNs / 1e9)), cpuRate / (written / tsharkCpu));
            CapturedTraffic retained = CapturedTraffic.read(file);
            retained.drops();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("heap in use after GC with the analysed capture retained: %,d MiB (of -Xmx %,d MiB); %s%n",
                    heap >> 20, Runtime.getRuntime().maxMemory() >> 20, retained.connections().size() + " connections");
            System.out.printf("our matching frames (retransmissions + resets + ICMP unreachable): %,d;"
                    + " drops %,d; connections to 1433 %,d%n", result[0], result[1], result[2]);
            if (result[0] != tsharkLines) {
                System.out.println("WARNING: our frame count differs from tshark's");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String msList(List<Long> ns) {
        StringBuilder s = new StringBuilder("(");
        for (long n : ns) {
            s.append(s.length() > 1 ? "/" : "").append(Math.round(n / 1e6));
        }
        return s.append(" ms)").toString();
    }

    /**
     * What the assertions do on a capture: the queries, then the checks with their failure
     * messages; returns {matching frames, drops, connections}.
     */
    private static long[] analyse(Path file) {
        CapturedTraffic traffic = CapturedTraffic.read(file);
        List<Drop> drops = traffic.drops();
        List<Drop> to1433 = traffic.dropsTo(1433);
        List<TcpConnection> conns = traffic.connectionsTo(1433);
        boolean allEstablished = conns.stream().allMatch(TcpConnection::isEstablished);
        boolean noneReset = conns.stream().noneMatch(TcpConnection::isReset);
        boolean allAnswered = traffic.icmpEchoes().stream().allMatch(IcmpExchange::isAnswered);
        long seen = traffic.packetsTo(1433);
        boolean complete = traffic.isComplete();
        if (seen == 0 || to1433.isEmpty() || allEstablished || noneReset || !allAnswered || !complete) {
            throw new IllegalStateException("unexpected analysis result: seen " + seen + ", drops " + to1433.size());
        }
        // The assertions' own checks (TrafficExpectations, which PcapunitAssertions delegates to),
        // including building the failure messages with their evidence lines re-read from the file.
        String noDrops = TrafficExpectations.noDropsTo(1433).check(traffic).orElseThrow().message();
        String established = TrafficExpectations.allEstablished(1433).check(traffic).orElseThrow().message();
        String reset = TrafficExpectations.noneReset(1433).check(traffic).orElseThrow().message();
        if (TrafficExpectations.echoRequestsAnswered().check(traffic).isPresent()
                || TrafficExpectations.complete().check(traffic).isPresent()
                || !noDrops.contains("to have no dropped packets to port 1433") || established.isEmpty() || reset.isEmpty()) {
            throw new IllegalStateException("unexpected expectation results:\n" + noDrops);
        }
        long matching = 0;
        for (TcpConnection c : traffic.connections()) {
            matching += c.retransmissions() + (c.isReset() ? 1 : 0);
        }
        for (Drop d : drops) {
            if (d.kind() == DropKind.ICMP_UNREACHABLE) {
                matching += d.frames().size();
            }
        }
        return new long[] {matching, drops.size(), conns.size()};
    }

    /** Writes the synthetic capture with pcapunit's own pcapng writer. */
    static final class Generator {
        private final byte[] frame = new byte[14 + 20 + 20 + 64];
        private final PcapngWriter w;
        private long now = 1_700_000_000_000_000_000L;
        private long count;

        private Generator(PcapngWriter w) {
            this.w = w;
        }

        static long write(Path file, int packets) throws IOException {
            InterfaceDescription eth = InterfaceDescription.builder().linkType(LinkType.ETHERNET).name("eth0").build();
            try (PcapngWriter w = PcapngWriter.open(file, SectionHeader.empty(), eth)) {
                Generator g = new Generator(w);
                Random r = new Random(1);
                int conn = 0;
                while (g.count < packets) {
                    int client = 0x0a010000 | (conn / 28000);
                    int server = 0x0a000114; // 10.0.1.20
                    int port = 20000 + conn % 28000;
                    int kind = r.nextInt(200);
                    if (kind == 0) {
                        for (int i = 0; i < 3; i++) {
                            g.tcp(client, port, server, 1433, 1000, 0, 0x02, 0, true);
                            g.now += 1_000_000_000L;
                        }
                    } else if (kind == 1) {
                        g.tcp(client, port, server, 1433, 1000, 0, 0x02, 0, true);
                        g.tcp(server, 1433, client, port, 0, 1001, 0x14, 0, false);
                    } else if (kind < 6) {
                        g.echo(client, server, conn & 0xffff);
                        g.udpUnreachable(client, port, server);
                    } else {
                        g.connection(client, port, server, kind < 8, r.nextInt(6) + 1);
                    }
                    conn++;
                }
                return g.count;
            }
        }

        private void connection(int c, int cport, int s, boolean retransmit, int segments) throws IOException {
            long cs = 1000;
            long ss = 5000;
            tcp(c, cport, s, 1433, cs, 0, 0x02, 0, true);
            tcp(s, 1433, c, cport, ss, cs + 1, 0x12, 0, false);
            cs++;
            ss++;
            tcp(c, cport, s, 1433, cs, ss, 0x10, 0, true);
            for (int i = 0; i < segments; i++) {
                tcp(c, cport, s, 1433, cs, ss, 0x18, 64, true);
                if (retransmit && i == 0) {
                    now += 200_000_000L;
                    tcp(c, cport, s, 1433, cs, ss, 0x18, 64, true);
                }
                cs += 64;
                tcp(s, 1433, c, cport, ss, cs, 0x18, 32, false);
                ss += 32;
                tcp(c, cport, s, 1433, cs, ss, 0x10, 0, true);
            }
            tcp(c, cport, s, 1433, cs, ss, 0x11, 0, true);
            tcp(s, 1433, c, cport, ss, cs + 1, 0x11, 0, false);
            tcp(c, cport, s, 1433, cs + 1, ss + 1, 0x10, 0, true);
        }

        private void ipv4(int proto, int src, int dst, int payloadLen) {
            // Ethernet: zero MACs, EtherType IPv4
            for (int i = 0; i < 12; i++) {
                frame[i] = 0;
            }
            frame[12] = 0x08;
            frame[13] = 0;
            int p = 14;
            int total = 20 + payloadLen;
            frame[p] = 0x45;
            frame[p + 1] = 0;
            put16(p + 2, total);
            put16(p + 4, (int) count);
            put16(p + 6, 0x4000);
            frame[p + 8] = 64;
            frame[p + 9] = (byte) proto;
            put16(p + 10, 0);
            put32(p + 12, src);
            put32(p + 16, dst);
        }

        private void tcp(int src, int sport, int dst, int dport, long seq, long ack, int flags, int payload,
                boolean out) throws IOException {
            ipv4(6, src, dst, 20 + payload);
            int p = 34;
            put16(p, sport);
            put16(p + 2, dport);
            put32(p + 4, (int) seq);
            put32(p + 8, (int) ack);
            frame[p + 12] = 0x50;
            frame[p + 13] = (byte) flags;
            put16(p + 14, 65000);
            put16(p + 16, 0);
            put16(p + 18, 0);
            emit(54 + payload, out);
        }

        private void echo(int c, int s, int id) throws IOException {
            for (int type : new int[] {8, 0}) {
                ipv4(1, type == 8 ? c : s, type == 8 ? s : c, 16);
                int p = 34;
                frame[p] = (byte) type;
                frame[p + 1] = 0;
                put16(p + 2, 0);
                put16(p + 4, id);
                put16(p + 6, 1);
                for (int i = 8; i < 16; i++) {
                    frame[p + i] = 0;
                }
                emit(50, type == 8);
            }
        }

        private void udpUnreachable(int c, int cport, int s) throws IOException {
            ipv4(17, c, s, 8 + 4);
            put16(34, cport);
            put16(36, 53);
            put16(38, 12);
            put16(40, 0);
            emit(14 + 20 + 12, true);
            // ICMP port unreachable quoting the 28-byte IP + UDP header
            byte[] quoted = new byte[28];
            System.arraycopy(frame, 14, quoted, 0, 28);
            ipv4(1, s, c, 8 + 28);
            frame[34] = 3;
            frame[35] = 3;
            put16(36, 0);
            put32(38, 0);
            System.arraycopy(quoted, 0, frame, 42, 28);
            emit(14 + 20 + 8 + 28, false);
        }

        private void emit(int len, boolean out) throws IOException {
            w.writePacket(0, now, len, frame, 0, len,
                    out ? OUT : IN);
            count++;
            now += 10_000;
        }

        private static final PacketOptions OUT = PacketOptions.builder().direction(Direction.OUTBOUND).build();
        private static final PacketOptions IN = PacketOptions.builder().direction(Direction.INBOUND).build();

        private void put16(int i, int v) {
            frame[i] = (byte) (v >>> 8);
            frame[i + 1] = (byte) v;
        }

        private void put32(int i, int v) {
            put16(i, v >>> 16);
            put16(i + 2, v);
        }
    }
}
