package io.github.pcapunit.assertions.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.packet.DecodedPacket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** One-line packet summaries for failure messages, read lazily: at most a screenful plus one. */
public final class PacketLines {

    /** Lines kept: the message factory shows 20 and says "and N more". */
    private static final int KEEP = 21;

    private PacketLines() {
    }

    /** The first packets of {@code traffic} matching {@code which}, as {@code #7 +0.012 s TCP ...}. */
    public static List<String> of(CapturedTraffic traffic, Predicate<? super DecodedPacket> which) {
        Instant base = traffic.firstPacketTime().orElse(Instant.EPOCH);
        try (Stream<DecodedPacket> packets = traffic.packets()) {
            return packets.filter(which).limit(KEEP).map(p -> line(p, base)).toList();
        }
    }

    static String line(DecodedPacket p, Instant base) {
        double seconds = Duration.between(base, p.time()).toNanos() / 1e9;
        return String.format(Locale.ROOT, "#%d +%.3f s %s", p.frameNumber(), seconds, p.summary());
    }
}
