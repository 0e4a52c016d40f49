package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: connection attempts that never completed the handshake. */
public final class ShouldAllBeEstablished {

    private ShouldAllBeEstablished() {
    }

    /**
     * Message for connections that were not established.
     *
     * @param lead the verdict that leads the message, one sentence
     * @param selection the connections looked at ("connections to port 1433")
     * @param total how many connections were looked at
     * @param lines one line per connection that was not established
     * @param failed how many were not established
     */
    public static String shouldAllBeEstablished(MessageContext context, String lead, String selection, int total,
                                                List<String> lines, int failed) {
        return FailureText.verdictFirst(context, lead, lines, "to have all " + total + " " + selection + " established",
                "but " + failed + " of " + total + " " + (failed == 1 ? "was" : "were") + " not", true);
    }
}
