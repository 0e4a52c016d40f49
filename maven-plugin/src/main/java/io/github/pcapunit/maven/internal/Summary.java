package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.capture.CaptureResult;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;

/** The one-line summary {@code capture:stop} logs. */
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
}
