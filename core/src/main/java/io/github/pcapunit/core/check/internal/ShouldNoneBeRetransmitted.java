package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: connections with retransmitted segments (SYN or data). */
public final class ShouldNoneBeRetransmitted {

    private ShouldNoneBeRetransmitted() {
    }

    /**
     * Message for connections that retransmitted.
     *
     * @param lead the verdict that leads the message, one sentence
     * @param selection the connections looked at ("connections to port 1433")
     * @param total how many connections were looked at
     * @param lines one line per retransmitting connection
     * @param retransmitted how many retransmitted
     */
    public static String shouldNoneBeRetransmitted(MessageContext context, String lead, String selection, int total,
                                                   List<String> lines, int retransmitted) {
        return FailureText.verdictFirst(context, lead, lines, "to have none of the " + total + " " + selection + " retransmitted",
                "but " + retransmitted + " " + (retransmitted == 1 ? "was" : "were"), false);
    }
}
