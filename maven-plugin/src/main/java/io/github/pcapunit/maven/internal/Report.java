package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.cli.TextFormat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The plain-text report {@code capture:verify} writes next to the pcapng: what was captured,
 * each rule's outcome with the full failure message, the drops, and the packets as one line each
 * in core's {@link TextFormat} (with the kernel's journal lines between them; at most
 * {@value #MAX_PACKETS} packets, the pcapng holds them all).
 */
public final class Report {

    /** Packet lines listed; beyond that the report points at the pcapng. */
    public static final int MAX_PACKETS = 10_000;

    private Report() {
    }

    /** {@code app.pcapng} → {@code app-report.txt}, in the same directory. */
    public static Path pathFor(Path pcapng) {
        String name = pcapng.getFileName().toString();
        String base = name.endsWith(".pcapng") ? name.substring(0, name.length() - 7)
                : name.endsWith(".pcap") ? name.substring(0, name.length() - 5) : name;
        return pcapng.resolveSibling(base + "-report.txt");
    }

    /** Writes the report, replacing an older one. */
    public static void write(Path report, CapturedTraffic traffic, List<RuleResult> results)
            throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(report, StandardCharsets.UTF_8)) {
            w.write("pcapunit capture report\n");
            w.write("file: " + traffic.path() + "\n");
            w.write("packets: " + traffic.packetCount()
                    + traffic.firstPacketTime().map(t -> ", first " + t).orElse("")
                    + traffic.lastPacketTime().map(t -> ", last " + t).orElse("") + "\n");
            w.write("capture: " + traffic.incompleteness().orElse("complete (no packet lost)")
                    + "\n");
            w.write("kernel evidence: " + traffic.kernelEvidenceStatus().orElse("none in file")
                    + "\n\n");

            w.write("rules (" + results.size() + "):\n");
            if (results.isEmpty()) {
                w.write("  (none configured)\n");
            }
            for (RuleResult r : results) {
                w.write("  " + (r.failed() ? "FAILED " : "passed ") + r.rule() + ": "
                        + r.description() + "\n");
                if (r.failed()) {
                    for (String line : r.message().orElseThrow().split("\n")) {
                        w.write("      " + line + "\n");
                    }
                }
            }

            List<Drop> drops = traffic.drops();
            w.write("\ndrops (" + drops.size() + "):\n");
            for (Drop d : drops) {
                w.write("  " + d + "\n");
            }

            w.write("\npackets:\n");
            if (traffic.packetCount() <= MAX_PACKETS) {
                // Packets and journal entries (kernel drops, marks) in time order, then a footer.
                TextFormat.relative().write(traffic, w);
            } else {
                TextFormat format = TextFormat.relative();
                Instant base = traffic.fileFirstPacketTime().orElse(null); // the verdicts' zero
                try (Stream<DecodedPacket> packets = traffic.packets()) {
                    for (DecodedPacket p : (Iterable<DecodedPacket>) packets.limit(MAX_PACKETS)::iterator) {
                        w.write(format.line(p, base) + "\n");
                    }
                }
                w.write("... and " + (traffic.packetCount() - MAX_PACKETS)
                        + " more packets: open the pcapng in Wireshark or tshark\n");
            }
        }
    }
}
