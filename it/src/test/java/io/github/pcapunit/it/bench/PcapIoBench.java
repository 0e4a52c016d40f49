package io.github.pcapunit.it.bench;

import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.PcapConversion;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * File IO benchmark (run by {@code scripts/bench-io.sh}, recorded in BENCHMARKS.md "File IO"):
 * builds a classic pcap of N packets, then times
 * <ol>
 *   <li>{@code editcap -F pcapng} on it (external process, median of several runs),</li>
 *   <li>{@link PcapConversion} of the same file in this (warmed-up) JVM,</li>
 *   <li>walking packet headers with {@link PcapReader}'s cursor over the pcap and the pcapng.</li>
 * </ol>
 *
 * <pre>java -cp ... io.github.pcapunit.it.bench.PcapIoBench [packets] [runs] [work dir]</pre>
 */
public final class PcapIoBench {

    private PcapIoBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("walk")) {
            walkInSmallHeap(Path.of(args[1]));
            return;
        }
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "target-bench/io"));
        Path pcap = dir.resolve("bench-" + packets + ".pcap");
        Path ours = dir.resolve("bench-ours.pcapng");
        Path editcap = dir.resolve("bench-editcap.pcapng");
        try {
            long size = writePcap(pcap, packets);
            System.out.printf("input: %s, %,d packets, %,d bytes%n", pcap, packets, size);

            List<Long> editcapNs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                run("editcap", "-F", "pcapng", pcap.toString(), editcap.toString());
                editcapNs.add(System.nanoTime() - t);
            }
            PcapConversion conversion = PcapConversion.builder()
                    .addInput(pcap, InterfaceDescription.builder().name("lo").filter("udp").build(), null)
                    .build();
            for (int i = 0; i < 2; i++) {
                conversion.convert(ours); // warm-up
            }
            List<Long> oursNs = new ArrayList<>();
            PcapConversion.Summary summary = null;
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                summary = conversion.convert(ours);
                oursNs.add(System.nanoTime() - t);
            }
            if (summary.packets() != packets) {
                throw new IllegalStateException("conversion wrote " + summary.packets() + " packets, expected " + packets);
            }
            String capinfos = String.join(" ", run("capinfos", "-c", "-M", ours.toString()));
            if (!capinfos.contains(Integer.toString(packets))) {
                throw new IllegalStateException("capinfos disagrees on the packet count: " + capinfos);
            }

            walk(pcap, 2);
            List<Long> walkPcap = walk(pcap, runs);
            walk(ours, 1);
            List<Long> walkPcapng = walk(ours, runs);

            // bounded memory: walk the pcapng in a child JVM whose heap is a tenth of the file
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> small = run(java, "-Xmx16m", "-cp", System.getProperty("java.class.path"),
                    PcapIoBench.class.getName(), "walk", ours.toString());

            long e = median(editcapNs);
            long o = median(oursNs);
            System.out.println();
            System.out.println("| measurement | median of " + runs + " | packets/s | MB/s (input) |");
            System.out.println("| --- | ---: | ---: | ---: |");
            row("`editcap -F pcapng` (process)", e, packets, size);
            row("PcapConversion in-process (warm JVM)", o, packets, size);
            row("header walk, pcap (PcapReader.nextPacket)", median(walkPcap), packets, size);
            row("header walk, pcapng (PcapReader.nextPacket)", median(walkPcapng), packets, Files.size(ours));
            System.out.printf("%nconversion speed-up over editcap: %.1fx (all runs, ms: editcap %s, ours %s)%n",
                    (double) e / o, ms(editcapNs), ms(oursNs));
            System.out.println("bounded memory: " + String.join(" ", small));
            System.out.printf("pcapng sizes: ours %,d bytes, editcap %,d bytes%n", Files.size(ours), Files.size(editcap));
        } finally {
            Files.deleteIfExists(pcap);
            Files.deleteIfExists(ours);
            Files.deleteIfExists(editcap);
        }
    }

    private static void walkInSmallHeap(Path f) throws IOException {
        long t = System.nanoTime();
        long n = 0;
        try (PcapReader r = PcapReader.open(f)) {
            while (r.nextPacket()) {
                n++;
            }
        }
        double s = (System.nanoTime() - t) / 1e9;
        System.out.printf("walked %,d packets of a %,d-byte pcapng with -Xmx%dm (cold JVM, %.0f packets/s)%n",
                n, Files.size(f), Runtime.getRuntime().maxMemory() >> 20, n / s);
    }

    private static void row(String what, long ns, int packets, long bytes) {
        double s = ns / 1e9;
        System.out.printf("| %s | %.1f ms | %,.0f | %,.0f |%n", what, ns / 1e6, packets / s, bytes / s / 1e6);
    }

    private static List<Long> walk(Path f, int runs) {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            long n = 0;
            long sum = 0;
            try (PcapReader r = PcapReader.open(f)) {
                while (r.nextPacket()) {
                    n++;
                    sum += r.capturedLength() + r.originalLength() + (r.timestampNanos() & 1) + r.flags();
                }
            }
            times.add(System.nanoTime() - t);
            if (n == 0 || sum == 0) {
                throw new IllegalStateException("walked nothing in " + f);
            }
        }
        return times;
    }

    /** Ethernet/IPv4/UDP frames of 60..187 bytes, 1 µs apart, classic little-endian µs pcap. */
    static long writePcap(Path f, int packets) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(262144).putInt(1);
            out.write(h.array());
            byte[] rec = new byte[16 + 187];
            ByteBuffer b = ByteBuffer.wrap(rec);
            long sec = 1_714_558_530L;
            for (int i = 0; i < packets; i++) {
                int len = 60 + (i & 127);
                b.clear();
                b.order(ByteOrder.LITTLE_ENDIAN).putInt((int) (sec + i / 1_000_000)).putInt(i % 1_000_000)
                        .putInt(len).putInt(len);
                b.order(ByteOrder.BIG_ENDIAN).put(new byte[12]).putShort((short) 0x0800)
                        .put((byte) 0x45).put((byte) 0).putShort((short) (len - 14)).putShort((short) i)
                        .putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0)
                        .putInt(0x7F000001).putInt(0x7F000001)
                        .putShort((short) 40000).putShort((short) 9).putShort((short) (len - 34)).putShort((short) 0);
                out.write(rec, 0, 16 + len);
            }
        }
        return Files.size(f);
    }

    private static List<String> run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return List.of(out.split("\n"));
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static String ms(List<Long> xs) {
        StringBuilder sb = new StringBuilder();
        for (long x : xs) {
            sb.append(sb.length() == 0 ? "" : "/").append(x / 1_000_000);
        }
        return sb.toString();
    }
}
