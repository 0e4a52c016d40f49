package io.github.pcapunit.core.check.internal;

import java.util.List;

/** Failure kind: connections ended by a TCP reset (including refused connections). */
public final class ShouldNoneBeReset {

    private ShouldNoneBeReset() {
    }

    /**
     * Message for reset connections.
     *
     * @param lead the verdict that leads the message, one sentence
     * @param selection the connections looked at ("connections to port 1433")
     * @param total how many connections were looked at
     * @param lines one line per reset connection
     * @param reset how many were reset
     */
    public static String shouldNoneBeReset(MessageContext context, String lead, String selection, int total, List<String> lines,
                                           int reset) {
        return FailureText.verdictFirst(context, lead, lines, "to have none of the " + total + " " + selection + " reset",
                "but " + reset + " " + (reset == 1 ? "was" : "were"), false);
    }
}
