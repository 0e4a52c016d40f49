package io.github.pcapunit.assertions.synthetic;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The whole text a failed assertion must show, line by line, and the two ways an assertion ends.
 * The sentences every message repeats are written out here once, as the user reads them.
 */
final class Expected {

    /** Closes a message about traffic that was not seen at all. */
    static final String HOW_TO_ALLOW = "If no traffic is a valid outcome here, allow it explicitly:"
            + " allowingNoTraffic() in assertions, <allowNoTraffic>true</allowNoTraffic> in capture:verify.";
    /** What a message about drops says of a file that holds no kernel evidence status. */
    static final String NO_KERNEL_EVIDENCE = "Kernel drop evidence: none in this file (it is recorded only by a"
            + " pcapunit capture that may use tracefs, e.g. as root).";
    /** The capture-loss sentence of {@link Scenarios#lossy}. */
    static final String LOST_3 = "The capture is incomplete: the kernel buffer dropped 3 packets.";

    /** The verdict of {@link Scenarios#unanswered}: three SYNs to 1434, nothing came back. */
    static final String UNANSWERED_1434 = "TCP 10.200.1.10:50200 \u2192 10.200.1.20:1434 was not answered: SYN sent 3\u00d7"
            + " at +0.000 s, +1.015 s, +3.039 s, and no SYN-ACK, reset or ICMP error came back; where it was lost is"
            + " not recorded (observed).";
    /** The evidence line of {@link Scenarios#unanswered}. */
    static final String UNANSWERED_1434_SYNS =
            "  SYN 10.200.1.10:50200 \u2192 10.200.1.20:1434 sent 3\u00d7 at +0.000 s, +1.015 s, +3.039 s, no SYN-ACK";
    /** The verdict of {@link Scenarios#refused}: the RST is the only packet from the server, so its origin is unverified. */
    static final String REFUSED_1435 = "TCP 10.200.1.10:50201 \u2192 10.200.1.20:1435 was refused by the server"
            + " 10.200.1.20: it answered the SYN with a reset (inferred).";
    /** The evidence lines of {@link Scenarios#refused}. */
    static final String[] REFUSED_1435_EVIDENCE = {
        "  SYN 10.200.1.10:50201 \u2192 10.200.1.20:1435 at +0.000 s refused: RST from 10.200.1.20:1435 at +0.000 s",
        "  the RST from 10.200.1.20 arrived with TTL 64; nothing else from 10.200.1.20 was captured to compare it"
                + " with: the origin is unverified"};

    /** The verdict of {@link Scenarios#prohibited}: the ICMP error is the only packet from the server. */
    static final String PROHIBITED_1437 = "TCP 10.200.1.10:50202 \u2192 10.200.1.20:1437 is unreachable: ICMP admin"
            + " prohibited (type 3 code 13) from 10.200.1.20 (origin unverified) (inferred).";
    /** The evidence lines of {@link Scenarios#prohibited}. */
    static final String[] PROHIBITED_1437_EVIDENCE = {
        "  ICMP admin prohibited from 10.200.1.20 for TCP 10.200.1.10:50202 \u2192 10.200.1.20:1437 at +0.000 s",
        "  the ICMP admin prohibited (type 3 code 13) from 10.200.1.20 arrived with TTL 64; nothing else from"
                + " 10.200.1.20 was captured to compare it with: the origin is unverified"};
    /** The verdict of {@link Scenarios#retransmitted}: completed, with a retransmission. */
    static final String RETRANSMITTED_1433 = "TCP 10.200.1.10:50203 \u2192 10.200.1.20:1433 established, 6 packets, 1"
            + " retransmissions: it completed, but packets of it were lost on the way (observed).";
    /** The evidence line of {@link Scenarios#retransmitted}. */
    static final String RETRANSMITTED_1433_EVIDENCE =
            "  TCP 10.200.1.10:50203 \u2192 10.200.1.20:1433: 1 data retransmission at +0.200 s";

    private Expected() {
    }

    /**
     * A message that leads with the verdict: {@code head} (the verdict sentence and its evidence
     * lines), then "Expecting the traffic captured in FILE" and {@code lines}.
     */
    static String led(CapturedTraffic traffic, String[] head, String... lines) {
        return String.join("\n", head) + "\n" + message(traffic, lines);
    }

    /** {@code first} followed by {@code more}, for {@link #led}. */
    static String[] head(String first, String... more) {
        String[] out = new String[more.length + 1];
        out[0] = first;
        System.arraycopy(more, 0, out, 1, more.length);
        return out;
    }

    /** "Expecting the traffic captured in FILE", then {@code lines}, joined by newlines. */
    static String message(CapturedTraffic traffic, String... lines) {
        return message(traffic.path(), lines);
    }

    /** "Expecting the traffic captured in FILE", then {@code lines}, joined by newlines. */
    static String message(Path file, String... lines) {
        return "Expecting the traffic captured in " + file + "\n" + String.join("\n", lines);
    }

    /** "but no traffic to TARGET was seen ..." of a drop expectation that met no such traffic. */
    static String noTrafficTo(String target) {
        return "but no traffic to " + target + " was seen: if the code did connect, the packets were dropped before"
                + " reaching a captured interface (e.g. by a local firewall).";
    }

    /** "but no traffic was seen at all ..." of a check over a capture without any packet. */
    static String noTrafficAtAll() {
        return "but no traffic was seen at all: if the code did send packets, they were dropped before reaching a"
                + " captured interface (e.g. by a local firewall) or the capture filter excludes them.";
    }

    /** "but no WHAT was seen ..." of a connection or echo expectation that met none. */
    static String noneSeen(String what) {
        return "but no " + what + " was seen: if the code did send one, it was dropped before reaching a captured"
                + " interface (e.g. by a local firewall).";
    }

    /** Asserts that {@code assertion} passes. */
    static void passes(ThrowingCallable assertion) {
        assertThatCode(assertion).doesNotThrowAnyException();
    }

    /** Asserts that {@code assertion} fails with exactly {@code message}. */
    static void fails(ThrowingCallable assertion, String message) {
        assertThatThrownBy(assertion).isExactlyInstanceOf(AssertionError.class).hasMessage(message);
    }
}
