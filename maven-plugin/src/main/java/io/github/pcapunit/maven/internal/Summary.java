package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.DropKind;
import io.github.pcapunit.core.analysis.EvidenceSource;
import io.github.pcapunit.core.capture.CaptureResult;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The one-line summary {@code capture:stop} logs, and its one-line diagnosis of drops. */
public final class Summary {

    private Summary() {
    }

    /**
     * E.g. {@code captured 42 packets, 6.1 KiB, capture loss 0, kernel drops seen 0 ->
     * target/pcapunit/app.pcapng}.
     *
     * @param kernelDrops drops the kernel reported (journal entries), or -1 when not known
     */
    public static String line(CaptureResult result, long kernelDrops, String displayPath) {
        long bytes;
        try {
            bytes = Files.size(result.file());
        } catch (IOException e) {
            bytes = -1;
        }
        return "captured " + result.packetsWritten() + (result.packetsWritten() == 1 ? " packet"
                : " packets") + ", " + (bytes < 0 ? "size unknown" : bytes(bytes))
                + ", capture loss " + result.packetsDropped()
                + ", kernel drops seen " + (kernelDrops < 0 ? "n/a" : Long.toString(kernelDrops))
                + (result.truncated() ? ", TRUNCATED at the size cap" : "")
                + " -> " + displayPath;
    }

    /** {@code 812 B}, {@code 6.1 KiB}, {@code 3.0 MiB}. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** Drops the kernel or a firewall reported (journal entries), not seen on the wire. */
    public static long kernelDrops(List<Drop> drops) {
        return drops.stream().filter(d -> d.source() != EvidenceSource.WIRE
                && d.kind() != DropKind.CAPTURE_LOSS).count();
    }

    /**
     * One line that names what went wrong, when a drop of a known flow was seen, e.g. {@code 2
     * drops in the captured traffic, first: [WIRE REFUSED] SYN 127.0.0.1:41234 → 127.0.0.1:1433
     * refused: RST from 127.0.0.1:1433 (capture:verify's rules decide whether that fails the
     * build)}. Kernel records without a flow (kernel evidence is machine-wide, so they may be
     * another process's) only count in the summary.
     *
     * @return empty when no flow lost a packet
     */
    public static Optional<String> diagnosis(List<Drop> drops) {
        List<Drop> ofFlows = drops.stream().filter(d -> d.flow().isPresent()).toList();
        if (ofFlows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ofFlows.size() + (ofFlows.size() == 1 ? " drop" : " drops")
                + " in the captured traffic" + (ofFlows.size() == 1 ? ": " : ", first: ")
                + ofFlows.get(0) + " (capture:verify's rules decide whether that fails the build)");
    }
}
