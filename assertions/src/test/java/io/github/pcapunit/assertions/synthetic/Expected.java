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

    private Expected() {
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
